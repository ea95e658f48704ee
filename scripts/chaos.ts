// `npm run chaos [-- --customers 1000 --seed 7]`: registrations through the real Worker while the
// sandbox injects 5xx, 429, timeouts and latency, consumers "crash" between the Zoho write and ours,
// messages arrive twice, and the hourly sweep runs on top of the consumer. On top of that: a backfill of
// pre-existing customers (half already in Zoho, some only on a secondary contact person), "new" people
// who are already in Zoho, admin retries/resets/unlinks during the run, a 30-minute Zoho outage in the
// middle (simulated clock: the probe schedule is fast-forwarded) and one poison job that kills the
// worker every time. Then every customer is compared with an oracle. Exits non-zero on any loss,
// duplicate, wrong state, over-budget day, customer failed by the outage, or more than 3 attempts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { SandboxControl, type SandboxContact } from "@tools/zoho-sandbox/control-client";
import { HttpSession, register, type Registrant } from "@tools/local-stack/http-session";
import { hashPassword } from "~/auth/password.server";
import { WORKER_STOPPED_MESSAGE } from "~/sync/jobs.server";
import { openNodeDb } from "@tools/local-stack/node-db";
import { connectToSandbox } from "@tools/local-stack/sandbox-connect";
import { freePorts } from "@tools/local-stack/processes";
import { buildApp, localWorkerVars, startBackingServices, startWorker } from "@tools/local-stack/stack";
import { openConfirmationLinks } from "@tools/local-stack/mail-catcher";

const argv = process.argv.slice(2);
const arg = (name: string, fallback: number) => (argv.includes(`--${name}`) ? Number(argv[argv.indexOf(`--${name}`) + 1]) : fallback);
const CUSTOMERS = arg("customers", 1000);
const SEED = arg("seed", 7);
// Roomy enough that a new customer's email is always looked up first (create-policy.ts); the budget
// pressure mode (create, check later) is covered by tests/workers/sync-recovery.test.ts and the bench.
const DAILY_LIMIT = Math.max(4000, CUSTOMERS * 8);
const OUTAGE_SIMULATED_MS = 30 * 60_000;
const OUTAGE_MESSAGE = "Service unavailable (outage)";
const POISON_EMAIL = "chaos.poison@example.com";
const TIMEOUT_MS = arg("minutes", Math.max(3, Math.ceil(CUSTOMERS / 100))) * 60_000;
const NO_MATCH = "No matching contact found in Zoho Books";

type Kind =
  | "new"
  | "new_same_name"
  | "new_known"
  | "returning_email"
  | "returning_name"
  | "ambiguous"
  | "not_found"
  | "backfill_new"
  | "backfill_known"
  | "backfill_secondary"
  | "poison";
type Case = Registrant & { kind: Kind; expect: { status: "synced" | "skipped" | "failed"; contactId?: string; error?: string } };
const isBackfill = (c: Case) => c.kind.startsWith("backfill_");

// Deterministic PRNG so a run can be repeated with --seed.
let state = SEED;
const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);

let finished = false;

async function main() {
  const started = Date.now();
  const [pgPort, proxyPort, sandboxPort, workerPort, mailSmtp, mailWeb] = await freePorts(6);
  const tmp = path.join(os.tmpdir(), `cangoods-chaos-${process.pid}`);
  console.log(`Chaos run: ${CUSTOMERS} registrations, seed ${SEED}. Starting the system…`);
  const stack = await startBackingServices({ ports: { postgres: pgPort, proxy: proxyPort, sandbox: sandboxPort, mailSmtp, mailWeb }, dataDir: path.join(tmp, "pg"), persistent: false, database: "cangoods_chaos", sandboxSeed: "empty" });
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
  const node = openNodeDb(stack.databaseUrl, 4);
  try {
    await buildApp();
    const url = `http://127.0.0.1:${workerPort}`;
    const vars = localWorkerVars(stack, url, {
      APP_ENV: "test",
      ZOHO_DAILY_CALL_LIMIT: String(DAILY_LIMIT),
      ZOHO_ORDERS_DAILY_SHARE: "0",
      ZOHO_ADMIN_DAILY_SHARE: "0",
      ZOHO_CALLS_PER_MINUTE: "100000",
      ZOHO_TIMEOUT_MS: "1500",
      SYNC_LEASE_SECONDS: "3",
      CHAOS_CRASH_RATE: "0.05",
      CHAOS_DUPLICATE_RATE: "0.1",
      CHAOS_POISON_EMAIL: POISON_EMAIL,
    });
    await connectToSandbox(node.db, stack.sandboxUrl, vars.TOKEN_ENCRYPTION_KEY);
    const sandbox = new SandboxControl(stack.sandboxUrl);
    await sandbox.settings({ dailyLimit: DAILY_LIMIT * 2, perMinuteLimit: 1_000_000 });

    // The world before the run: contacts returning customers should find.
    const cases: Case[] = [];
    const tag = () => Math.floor(random() * 1e9).toString(36);
    for (let i = 0; i < CUSTOMERS; i++) {
      const r = random();
      const id = `${i}${tag()}`;
      const person = { firstName: "Chaos", lastName: `Person${id}`, email: `chaos.${id}@example.com`, phone: "09171234567" };
      if (r < 0.33) cases.push({ ...person, customerType: "new", kind: "new", expect: { status: "synced" } });
      else if (r < 0.4) {
        // Says "new" but Zoho already has them under this email: linked, not duplicated.
        const c = await sandbox.addContact({ contact_name: `Chaos Person${id}`, first_name: "Chaos", last_name: `Person${id}`, email: person.email });
        cases.push({ ...person, customerType: "new", kind: "new_known", expect: { status: "synced", contactId: c.contact_id } });
      }
      else if (r < 0.45) cases.push({ ...person, firstName: "Juan", lastName: "Dela Cruz", customerType: "new", kind: "new_same_name", expect: { status: "synced" } });
      else if (r < 0.7) {
        const c = await sandbox.addContact({ contact_name: `Chaos Person${id}`, first_name: "Chaos", last_name: `Person${id}`, email: person.email });
        // The registrant opens the link from the mail: a verified email equal to the contact's links it (issue 11).
        cases.push({ ...person, customerType: "returning", kind: "returning_email", expect: { status: "synced", contactId: c.contact_id } });
      } else if (r < 0.8) {
        await sandbox.addContact({ contact_name: `Chaos  Person${id}`, first_name: "Chaos", last_name: `Person${id}`, email: `old.${id}@example.org` });
        // A name alone never links: it waits for an admin's Confirm link (issue 11).
        cases.push({ ...person, customerType: "returning", kind: "returning_name", expect: { status: "skipped" } });
      } else if (r < 0.9) {
        await sandbox.addContact({ contact_name: `Household ${id}`, email: person.email });
        await sandbox.addContact({ contact_name: `Office ${id}`, email: person.email });
        cases.push({ ...person, customerType: "returning", kind: "ambiguous", expect: { status: "skipped" } });
      } else cases.push({ ...person, customerType: "returning", kind: "not_found", expect: { status: "failed" } });
    }
    // Customers from before automatic sync (no job yet): half already in Zoho, a third of those only as a
    // secondary contact person of a company contact. The admin backfills them during the run.
    const backfill: Case[] = [];
    for (let i = 0; i < Math.max(6, Math.round(CUSTOMERS / 10)); i++) {
      const id = `b${i}${tag()}`;
      const person = { firstName: "Older", lastName: `Client${id}`, email: `older.${id}@example.com`, phone: "09171234567", customerType: "new" as const };
      if (i % 2 === 0) backfill.push({ ...person, kind: "backfill_new", expect: { status: "synced" } });
      else if (i % 6 === 1) {
        // A company contact named after the family, the customer only a secondary person: found by the surname
        // search and the contact persons' emails (docs/decisions/013). Zoho's filters cannot find a secondary
        // person's email under an unrelated company name at all: that case is a known limit (README).
        const c = await sandbox.addContact({
          contact_name: `${person.lastName} Family Store`,
          company_name: `${person.lastName} Family Store`,
          contact_persons: [
            { first_name: "Front", last_name: "Desk", email: `desk.${id}@example.com`, is_primary_contact: true },
            { first_name: "Older", last_name: `Client${id}`, email: person.email, is_primary_contact: false },
          ],
        } as Parameters<SandboxControl["addContact"]>[0]);
        backfill.push({ ...person, kind: "backfill_secondary", expect: { status: "synced", contactId: c.contact_id } });
      } else {
        const c = await sandbox.addContact({ contact_name: `Older Client${id}`, first_name: "Older", last_name: `Client${id}`, email: person.email });
        backfill.push({ ...person, kind: "backfill_known", expect: { status: "synced", contactId: c.contact_id } });
      }
    }
    for (const b of backfill)
      await node.pool.query(
        `insert into customers (first_name, last_name, email, phone, delivery_method, created_at) values ($1, $2, $3, $4, 'pickup', now() - interval '400 days')`,
        [b.firstName, b.lastName, b.email, b.phone],
      );
    cases.push(...backfill);
    // One customer whose job kills the worker every time it is claimed.
    const poison: Case = { firstName: "Poison", lastName: "Pill", email: POISON_EMAIL, phone: "09171234567", customerType: "new", kind: "poison", expect: { status: "failed", error: WORKER_STOPPED_MESSAGE } };
    cases.splice(Math.floor(cases.length / 4), 0, poison);
    const adminEmail = "chaos.admin@example.com";
    const adminPassword = "chaos admin password 123";
    await node.pool.query(`insert into users (email, password_hash, role) values ($1, $2, 'admin')`, [adminEmail, await hashPassword(adminPassword)]);
    await sandbox.clearCalls();
    await everydayFaults(sandbox);

    const workerLog = fs.createWriteStream(path.join(os.tmpdir(), `cangoods-chaos-worker-${process.pid}.log`));
    worker = await startWorker({ port: workerPort, vars, persistTo: path.join(tmp, "wrangler"), log: (line) => workerLog.write(`${line}\n`) });
    worker.child.once("exit", (code) => {
      if (!finished) console.error(`The Worker exited (${code}) during the run; its log: ${workerLog.path}`);
    });
    console.log(`Registering ${CUSTOMERS} customers (8 at a time) while the sweep overlaps the consumer…`);
    const admin = new HttpSession(url);
    const signIn = await admin.post("/login", { email: adminEmail, password: adminPassword });
    if (signIn.status !== 302) throw new Error(`admin sign-in answered ${signIn.status}`);
    const backfillStart = await admin.post("/admin?index", { intent: "backfill" });
    if (backfillStart.status !== 302) throw new Error(`backfill answered ${backfillStart.status}`);
    const outage = { state: "before" as "before" | "on" | "over", simulatedMs: 0, start: 0, end: 0, paused: false };
    let sweeping = true;
    const sweeper = (async () => {
      while (sweeping) {
        // Time passes faster here: backoffs and rate-limit pauses elapse at once, then the sweep runs.
        await node.pool.query("update zoho_sync_queue set scheduled_for = now(), enqueued_at = null where processed_at is null and scheduled_for > now()");
        // The outage's clock: each probe slot skipped forward counts as that much time gone by. (Random 5xx
        // streaks outside the outage can pause sync too; their probes are skipped forward the same way.)
        const { rows: health } = await node.pool.query("select paused, extract(epoch from (next_probe_at - now())) * 1000 as ahead from zoho_sync_health where id = 1");
        if (health[0]?.paused) {
          if (outage.state === "on") outage.paused = true;
          if (outage.state === "on") outage.simulatedMs += Math.max(0, Number(health[0].ahead));
          await node.pool.query("update zoho_sync_health set next_probe_at = now() where id = 1");
        }
        if (outage.state === "on") {
          if (outage.simulatedMs >= OUTAGE_SIMULATED_MS || Date.now() - outage.start > TIMEOUT_MS / 3) {
            await sandbox.clearFaults();
            await everydayFaults(sandbox);
            outage.state = "over";
            outage.end = Date.now();
            console.log(`Zoho is back after ${Math.round(outage.simulatedMs / 60_000)} simulated minutes (${((outage.end - outage.start) / 1000).toFixed(0)} s real).`);
          }
        }
        await Promise.all([fetch(`${url}/__scheduled?cron=0+*+*+*+*`), fetch(`${url}/__scheduled?cron=0+*+*+*+*`)]).catch(() => {});
        await new Promise((r) => setTimeout(r, 400));
      }
    })();
    const failedRegistrations: string[] = [];
    const registering = cases.filter((c) => !isBackfill(c));
    const adminActions = { retries: 0, resets: 0, unlinks: 0 };
    for (let i = 0; i < registering.length; i += 8) {
      if (outage.state === "before" && i >= registering.length / 2) {
        console.log("Zoho goes down (every contacts call answers 503) for 30 simulated minutes…");
        await sandbox.clearFaults();
        await sandbox.addFault({ path: "/books/v3/contacts", status: 503, code: 1, message: OUTAGE_MESSAGE });
        outage.state = "on";
        outage.start = Date.now();
      }
      if (i > 0 && i % 80 === 0) await adminMeddles(node, admin, adminActions);
      const batch = registering.slice(i, i + 8);
      await Promise.all(
        batch.map(async (c) => {
          const res = await register(url, c).catch((e: Error) => ({ status: 0, error: e.message }));
          if (res.status !== 302) failedRegistrations.push(`${c.email}: ${res.status}`);
        }),
      );
      // Each registrant opens the confirmation link from the mail catcher's inbox: only then does sync start.
      for (const email of await openConfirmationLinks(stack.mail!.inboxUrl, url, batch.map((c) => c.email)))
        failedRegistrations.push(`${email}: no confirmation mail, or its link was refused`);
    }
    console.log(`Registered in ${((Date.now() - started) / 1000).toFixed(0)} s. Waiting for every customer to settle…`);
    while (outage.state === "on") await new Promise((r) => setTimeout(r, 500));
    await adminMeddles(node, admin, adminActions);
    const deadline = Date.now() + TIMEOUT_MS;
    let open = Infinity;
    while (Date.now() < deadline && worker.child.exitCode === null) {
      open = (await node.pool.query("select count(*)::int as n from customers where zoho_sync_status in ('pending', 'syncing')")).rows[0].n;
      if (open === 0) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    sweeping = false;
    await sweeper;
    finished = true;

    // Compare with the oracle.
    const { rows } = await node.pool.query(
      `select email, zoho_sync_status as status, zoho_contact_id as contact, zoho_sync_error as error, zoho_sync_attempts as attempts,
        zoho_last_sync_at as last_sync, zoho_review_reason as reason from customers`,
    );
    const byEmail = new Map(rows.map((r) => [r.email, r]));
    const contacts: SandboxContact[] = await sandbox.listContacts();
    const contactsByEmail = new Map<string, number>();
    for (const c of contacts)
      for (const e of new Set([c.email, ...(c.contact_persons ?? []).map((p) => p.email)].filter(Boolean) as string[]))
        contactsByEmail.set(e.toLowerCase(), (contactsByEmail.get(e.toLowerCase()) ?? 0) + 1);
    let lost = 0, duplicates = 0, wrong = 0, gaveUp = 0, failedByOutage = 0, heldUnverified = 0;
    const problems: string[] = [];
    for (const c of cases) {
      const row = byEmail.get(c.email);
      if (!row || row.status === "pending" || row.status === "syncing") {
        lost++;
        problems.push(`lost: ${c.email} (${row?.status ?? "no customer row"})`);
        continue;
      }
      const expectedContacts = c.kind === "ambiguous" ? 2 : c.kind === "not_found" || c.kind === "poison" ? 0 : 1;
      const have = contactsByEmail.get(c.email) ?? 0;
      if (have > expectedContacts) {
        duplicates++;
        problems.push(`duplicate: ${c.email} has ${have} Zoho contacts (expected ${expectedContacts})`);
      }
      const expectedError = c.expect.error ?? NO_MATCH;
      if (row.status === "failed" && row.error !== expectedError && row.attempts >= 3) {
        // Failed by the outage's own error: the outage pause must have prevented it. (The everyday faults are
        // off during the outage, so a failure with one of their errors spent its attempts outside it: the
        // spec's "retry 3x, then failed", whatever the time of its last attempt.)
        if (row.error?.includes(OUTAGE_MESSAGE)) {
          failedByOutage++;
          problems.push(`failed by the outage: ${c.email} "${row.error}"`);
        } else gaveUp++; // three transient failures in a row: the spec's "failed with the last error"
        continue;
      }
      // A backfilled customer (entered before accounts existed, so no verified address) whose contact is found
      // by email: adopting it needs a verified address (issue 11), so it waits for an admin, never a second contact.
      if (isBackfill(c) && row.status === "skipped" && row.reason === "unverified" && !row.contact) {
        heldUnverified++;
        continue;
      }
      const ok = row.status === c.expect.status && (!c.expect.contactId || row.contact === c.expect.contactId) && (c.expect.status !== "failed" || row.error === expectedError);
      if (!ok) {
        wrong++;
        problems.push(`wrong: ${c.email} (${c.kind}) is ${row.status}${row.error ? ` "${row.error}"` : ""}, expected ${c.expect.status}`);
      }
    }
    const ledger = (await node.pool.query("select day::text, total, sync, refused from zoho_api_ledger")).rows;
    const overBudget = ledger.filter((d) => d.total > DAILY_LIMIT).length;
    const zohoCalls = (await sandbox.calls()).length;
    const counted = ledger.reduce((a, d) => a + d.total, 0);
    const jobAttempts = (await node.pool.query("select coalesce(max(attempts), 0)::int as n from zoho_sync_queue")).rows[0].n;
    const maxAttempts = Math.max(0, jobAttempts, ...rows.map((r) => r.attempts));
    const events = (await node.pool.query("select count(*) filter (where outcome = 'lease_expired')::int as recovered, sum(zoho_calls)::int as calls from zoho_sync_events")).rows[0];

    const summary = [
      ["customers registered or backfilled", `${cases.length - failedRegistrations.length} of ${cases.length}`],
      ["customers lost", lost],
      ["duplicate Zoho contacts", duplicates],
      ["wrong end states", wrong],
      ["failed after 3 transient errors (spec: retry 3×, then failed)", gaveUp],
      ["customers left for an admin because of the outage", failedByOutage],
      ["Zoho outage", outage.paused ? `${Math.round(outage.simulatedMs / 60_000)} simulated minutes, sync paused and resumed by itself` : "SYNC NEVER PAUSED"],
      ["backfilled customers (half already in Zoho)", backfill.length],
      ["admin retries / resets / unlinks during the run", `${adminActions.retries} / ${adminActions.resets} / ${adminActions.unlinks}`],
      ["backfilled customers held for review: contact found by email, no verified address", heldUnverified],
      ["over-budget days", overBudget],
      ["Zoho calls made / counted in the ledger", `${zohoCalls} / ${counted}${zohoCalls > counted ? " (UNCOUNTED CALLS)" : ""}`],
      ["Zoho calls per customer", (zohoCalls / cases.length).toFixed(2)],
      ["max attempts on one customer", maxAttempts],
      ["jobs recovered after a simulated crash", events.recovered],
      ["run time", `${((Date.now() - started) / 1000).toFixed(0)} s`],
    ] as const;
    console.log("\n| chaos run | result |\n|---|---|");
    for (const [k, v] of summary) console.log(`| ${k} | ${v} |`);
    for (const p of [...failedRegistrations.map((f) => `registration failed: ${f}`), ...problems].slice(0, 20)) console.log(`  ${p}`);
    const bad =
      lost + duplicates + wrong + overBudget + failedByOutage + failedRegistrations.length + (zohoCalls > counted ? 1 : 0) + (maxAttempts > 3 ? 1 : 0) + (outage.paused ? 0 : 1);
    if (process.env.CHAOS_SUMMARY_FILE) fs.writeFileSync(process.env.CHAOS_SUMMARY_FILE, JSON.stringify(Object.fromEntries(summary), null, 2));
    console.log(bad ? "\nCHAOS RUN FAILED" : "\nChaos run passed: nothing lost, nothing duplicated, every customer where the oracle says.");
    return bad ? 1 : 0;
  } finally {
    await node.close();
    await worker?.stop();
    await stack.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Faults (first matching rule wins): hangs, 5xx, lost replies, 429s, Zoho's failures inside 200, latency. */
async function everydayFaults(sandbox: SandboxControl) {
  await sandbox.addFault({ path: "/books/v3/contacts", probability: 0.01, timeout: true });
  await sandbox.addFault({ path: "/books/v3/contacts", probability: 0.06, status: 503, code: 1, message: "Service temporarily unavailable" });
  await sandbox.addFault({ path: "/books/v3/contacts", method: "POST", probability: 0.05, status: 500, code: 1, afterEffect: true, message: "Reply lost" });
  await sandbox.addFault({ path: "/books/v3/contacts", probability: 0.04, status: 429, code: 44, message: "Too many requests" });
  await sandbox.addFault({ path: "/books/v3/contacts", probability: 0.02, body200: true, code: 9999, message: "Internal processing error" });
  await sandbox.addFault({ path: "/books/v3/contacts", probability: 0.2, latencyMs: 40 });
}

/**
 * An admin at work during the run, through the real routes: unlinks a few linked customers and retries
 * them at once, retries some failed ones and resets some waiting for review. None of it may duplicate.
 */
async function adminMeddles(node: ReturnType<typeof openNodeDb>, admin: HttpSession, count: { retries: number; resets: number; unlinks: number }) {
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

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`chaos run could not complete: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(2);
  },
);
