// The chaos run's drivers (scripts/chaos.ts): the registrants (8 at a time, each confirming from the mail
// catcher's link in the browser they registered with), an admin at work through the real routes (backfill, unlink + retry, retry, reset),
// the outage (halfway through, every contacts call answers 503 for 30 simulated minutes), and a sweeper that
// makes time pass faster and runs two sweeps every 400 ms on top of the consumer.
import { signInAdmin } from "@tools/admin-sign-in";
import { HttpSession, register } from "@tools/local-stack/http-session";
import { confirmRegistrations } from "@tools/local-stack/mail-catcher";
import type { SandboxControl } from "@tools/zoho-sandbox/control-client";
import { forgetQueueMessages, makeWaitingJobsDue } from "~/sync/jobs/tooling.server";
import { ADMIN, everydayFaults, isBackfill, OUTAGE_MESSAGE, POISON_EMAIL, type Case, type Node } from "./world";

export const OUTAGE_SIMULATED_MS = 30 * 60_000;

/**
 * waiting: the customers still waiting when Zoho came back; settledMs: how long after that the last of them
 * left pending/syncing (the oracle bounds it: 2 minutes plus their calls at the pace).
 */
export type Outage = { state: "before" | "on" | "over"; simulatedMs: number; start: number; end: number; paused: boolean; waiting?: string[]; settledMs?: number };
export type AdminActions = { retries: number; resets: number; unlinks: number };

/** The admin signs in and starts the backfill of the customers from before automatic sync. */
export async function adminStartsBackfill(url: string): Promise<HttpSession> {
  const admin = new HttpSession(url);
  await signInAdmin(admin, ADMIN);
  const backfillStart = await admin.post("/admin?index", { intent: "backfill" });
  if (backfillStart.status !== 302) throw new Error(`backfill answered ${backfillStart.status}`);
  return admin;
}

/**
 * Time passes faster: backoffs and rate-limit pauses elapse at once, then the sweep runs (twice, racing the
 * consumer). While the outage is on, each probe slot skipped forward counts as that much simulated time, and
 * the outage ends after 30 simulated minutes (or a third of the run's time limit). After the local Worker was
 * started again, the jobs whose queue messages died with it are sent again at once (the re-send rule's wait, elapsed).
 */
export function startSweeper(d: { node: Node; sandbox: SandboxControl; url: string; outage: Outage; timeoutMs: number; worker: { readonly restarts: number; whenUp(): Promise<void> } }) {
  const { node, sandbox, url, outage } = d;
  let sweeping = true;
  let restartsSeen = 0;
  const running = (async () => {
    while (sweeping) {
      if (d.worker.restarts > restartsSeen) {
        // The local queue's messages died with wrangler dev: time passes faster here too (the re-send rule).
        restartsSeen = d.worker.restarts;
        await d.worker.whenUp().catch(() => {});
        await forgetQueueMessages(node.db);
      }
      await makeWaitingJobsDue(node.db);
      // The outage's clock: each probe slot skipped forward counts as that much time gone by. (Random 5xx
      // streaks outside the outage can pause sync too; their probes are skipped forward the same way.)
      const { rows: health } = await node.pool.query("select paused, extract(epoch from (next_probe_at - now())) * 1000 as ahead from zoho_sync_health where id = 1");
      if (health[0]?.paused) {
        if (outage.state === "on") outage.paused = true;
        if (outage.state === "on") outage.simulatedMs += Math.max(0, Number(health[0].ahead));
        await node.pool.query("update zoho_sync_health set next_probe_at = now() where id = 1");
      }
      if (outage.state === "on") {
        if (outage.simulatedMs >= OUTAGE_SIMULATED_MS || Date.now() - outage.start > d.timeoutMs / 3) {
          await sandbox.clearFaults();
          await everydayFaults(sandbox);
          outage.state = "over";
          outage.end = Date.now();
          outage.waiting = (await node.pool.query("select id from customers where zoho_sync_status in ('pending', 'syncing')")).rows.map((r: { id: string }) => r.id);
          console.log(`Zoho is back after ${Math.round(outage.simulatedMs / 60_000)} simulated minutes (${((outage.end - outage.start) / 1000).toFixed(0)} s real).`);
        }
      }
      if (outage.state === "over" && outage.waiting && outage.settledMs === undefined) {
        const { rows } = await node.pool.query("select count(*)::int as n from customers where id = any($1::uuid[]) and zoho_sync_status in ('pending', 'syncing')", [outage.waiting]);
        if (rows[0].n === 0) outage.settledMs = Date.now() - outage.end;
      }
      await Promise.all([fetch(`${url}/__scheduled?cron=0+*+*+*+*`), fetch(`${url}/__scheduled?cron=0+*+*+*+*`)]).catch(() => {});
      await new Promise((r) => setTimeout(r, 400));
    }
  })();
  return {
    async stop() {
      sweeping = false;
      await running;
    },
  };
}

/**
 * Registers every case that is not a backfill, 8 at a time; each registrant then opens the confirmation link
 * from the mail catcher (only then does sync start). Halfway through, Zoho goes down; every 80 registrations
 * the admin meddles. Returns the registrations that failed.
 */
export async function registerEveryone(d: {
  url: string;
  inboxUrl: string;
  cases: Case[];
  sandbox: SandboxControl;
  node: Node;
  admin: HttpSession;
  outage: Outage;
  adminActions: AdminActions;
}): Promise<string[]> {
  const { url, sandbox, outage } = d;
  const failedRegistrations: string[] = [];
  const registering = d.cases.filter((c) => !isBackfill(c));
  for (let i = 0; i < registering.length; i += 8) {
    if (outage.state === "before" && i >= registering.length / 2) {
      console.log("Zoho goes down (every contacts call answers 503) for 30 simulated minutes…");
      await sandbox.clearFaults();
      await sandbox.addFault({ path: "/books/v3/contacts", status: 503, code: 1, message: OUTAGE_MESSAGE });
      outage.state = "on";
      outage.start = Date.now();
    }
    if (i > 0 && i % 80 === 0) await adminMeddles(d.node, d.admin, d.adminActions);
    const batch = registering.slice(i, i + 8);
    const browsers = new Map<string, HttpSession>();
    await Promise.all(
      batch.map(async (c) => {
        const res = await register(url, c).catch((e: Error) => ({ status: 0, error: e.message, session: null }));
        if (res.status !== 302 || !res.session) failedRegistrations.push(`${c.email}: ${res.status}`);
        else browsers.set(c.email, res.session);
      }),
    );
    // Each registrant opens the confirmation link from the mail catcher's inbox in the browser they registered
    // with and presses Confirm (a GET changes nothing): only then does sync start.
    for (const email of await confirmRegistrations(d.inboxUrl, url, browsers))
      failedRegistrations.push(`${email}: no confirmation mail, or its Confirm was refused`);
  }
  return failedRegistrations;
}

/**
 * An admin at work during the run, through the real routes: unlinks a few linked customers and retries
 * them at once, retries some failed ones and resets some waiting for review. None of it may duplicate.
 */
export async function adminMeddles(node: Node, admin: HttpSession, count: AdminActions) {
  const pick = async (status: string, n: number) =>
    (await node.pool.query(`select id from customers where zoho_sync_status = $1 and email <> $2 order by random() limit $3`, [status, POISON_EMAIL, n])).rows.map(
      (r: { id: string }) => r.id,
    );
  for (const id of await pick("synced", 3)) {
    const unlinked = await admin.post(`/admin/customers/${id}`, { intent: "unlink" });
    if (unlinked.status >= 400) continue;
    count.unlinks++;
    if ((await admin.post(`/api/admin/customers/${id}/zoho-sync`, {})).status === 202) count.retries++;
  }
  for (const id of await pick("failed", 2)) if ((await admin.post(`/api/admin/customers/${id}/zoho-sync`, {})).status === 202) count.retries++;
  for (const id of await pick("skipped", 2)) if ((await admin.post(`/api/admin/customers/${id}/zoho-sync`, {}, "DELETE")).status === 200) count.resets++;
}
