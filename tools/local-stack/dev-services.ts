// The backing services of `npm run dev` and the state they keep between runs: Postgres's data, the Zoho
// sandbox's state file and the Worker's local state (its queue). The database and the sandbox live and die
// together: a restart finds both as they were; `npm run dev:fresh` (`npm run dev -- --fresh`) empties all
// three at once; a fresh database never meets an old sandbox (its contacts would not match the demo seed).
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { SandboxControl } from "@tools/zoho-sandbox/control-client";
import { openNodeDb } from "./node-db";
import { connectToSandbox } from "./sandbox-connect";
import { seedDemoData } from "./seed";
import { startBackingServices, type Stack, type StackPorts } from "./stack";

/** Where the local system keeps its state, relative to the project (all git-ignored). */
export const DEV_STATE = {
  postgres: ".data/postgres",
  sandbox: ".data/zoho-sandbox/state.json",
  /** wrangler dev's local state: the queue's messages (they name jobs of the database). */
  worker: ".wrangler/state",
} as const;

export type SandboxPlan = {
  /** Put the sandbox back to its seed (ids still go on increasing). */
  resetSandbox: boolean;
  /** Issue tokens and store them as the admin's connection. */
  connect: boolean;
  /** Hand out only ids above those the database links (its sandbox state is gone). */
  keepIdsAboveLinked: boolean;
  /** Said to the person starting the system. */
  note: string;
};

/**
 * What a start does with the sandbox, from what it found: `seeded` (the database was empty and got the demo
 * seed), `restored` (the sandbox's state file was there), `connectionKept` (the database's Zoho connection names
 * this sandbox).
 */
export function planSandbox(found: { seeded: boolean; restored: boolean; connectionKept: boolean }): SandboxPlan {
  if (found.seeded && found.restored)
    return { resetSandbox: true, connect: true, keepIdsAboveLinked: false, note: "New database: the Zoho sandbox starts from its seed too (its ids go on increasing)." };
  if (found.seeded) return { resetSandbox: false, connect: true, keepIdsAboveLinked: false, note: "New database and Zoho sandbox, seeded and connected." };
  if (!found.restored)
    return {
      resetSandbox: false,
      connect: true,
      keepIdsAboveLinked: true,
      note:
        `The Zoho sandbox had no saved state (${DEV_STATE.sandbox}), but the database has data: contacts linked before are missing ` +
        "from the sandbox, and new ones get ids above every linked id. To start both afresh: npm run dev:fresh",
    };
  if (!found.connectionKept)
    return { resetSandbox: false, connect: true, keepIdsAboveLinked: false, note: "Reusing the database and the Zoho sandbox's state; Zoho connected again (the database had no connection to this sandbox)." };
  return { resetSandbox: false, connect: false, keepIdsAboveLinked: false, note: "Reusing the database and the Zoho sandbox's state (contacts, invoices, tokens)." };
}

/** Removes the sandbox's state and the Worker's local state (the database is dropped by the stack). */
export function forgetLocalState(root: string) {
  fs.rmSync(path.join(root, DEV_STATE.sandbox), { force: true });
  fs.rmSync(path.join(root, DEV_STATE.worker), { recursive: true, force: true });
}

export async function startDevServices(opts: {
  root: string;
  ports: StackPorts;
  database: string;
  encryptionKey: string;
  organizationId?: string;
  /** Start from nothing: drop the database, forget the sandbox's and the Worker's state. */
  fresh?: boolean;
  log?: (line: string) => void;
}): Promise<{ stack: Stack; seeded: boolean; plan: SandboxPlan }> {
  const log = opts.log ?? (() => {});
  if (opts.fresh) forgetLocalState(opts.root);
  const stack = await startBackingServices({
    ports: opts.ports,
    dataDir: path.join(opts.root, DEV_STATE.postgres),
    persistent: true,
    database: opts.database,
    sandboxStateFile: path.join(opts.root, DEV_STATE.sandbox),
    recreateDatabase: opts.fresh,
    log,
  });
  const { db, close } = openNodeDb(stack.databaseUrl, 1);
  try {
    const seeded = await seedDemoData(db, opts.encryptionKey);
    const { rows } = await db.execute<{ kept: boolean }>(sql`select exists (select 1 from zoho_tokens where accounts_server = ${stack.sandboxUrl}) as kept`);
    const plan = planSandbox({ seeded, restored: stack.sandboxRestored, connectionKept: Boolean(rows[0]?.kept) });
    const control = new SandboxControl(stack.sandboxUrl);
    if (plan.resetSandbox) await control.reset("default");
    if (plan.keepIdsAboveLinked) {
      const linked = await db.execute<{ max: string | null }>(sql`
        select max(id::numeric)::text as max from (
          select zoho_contact_id as id from customers union all select zoho_contact_id from account_closures
        ) ids where id ~ '^[0-9]+$'`);
      if (linked.rows[0]?.max) await control.keepIdsAbove(linked.rows[0].max);
    }
    if (plan.connect) await connectToSandbox(db, stack.sandboxUrl, opts.encryptionKey, opts.organizationId);
    return { stack, seeded, plan };
  } catch (error) {
    await stack.stop();
    throw error;
  } finally {
    await close();
  }
}
