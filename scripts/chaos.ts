// `npm run chaos [-- --customers 1000 --seed 7]`: registrations through the real Worker while the
// sandbox injects 5xx, 429, timeouts and latency, consumers "crash" between the Zoho write and ours,
// messages arrive twice, and the hourly sweep runs on top of the consumer. Then every customer is
// compared with an oracle. Exits non-zero on any loss, duplicate, wrong state or over-budget day.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { SandboxControl, type SandboxContact } from "@tools/zoho-sandbox/control-client";
import { register, type Registrant } from "@tools/local-stack/http-session";
import { openNodeDb } from "@tools/local-stack/node-db";
import { connectToSandbox } from "@tools/local-stack/sandbox-connect";
import { buildApp, freePorts, localWorkerVars, startBackingServices, startWorker } from "@tools/local-stack/stack";

const argv = process.argv.slice(2);
const arg = (name: string, fallback: number) => (argv.includes(`--${name}`) ? Number(argv[argv.indexOf(`--${name}`) + 1]) : fallback);
const CUSTOMERS = arg("customers", 1000);
const SEED = arg("seed", 7);
const DAILY_LIMIT = Math.max(2000, CUSTOMERS * 4);
const TIMEOUT_MS = arg("minutes", Math.max(3, Math.ceil(CUSTOMERS / 100))) * 60_000;
const NO_MATCH = "No matching contact found in Zoho Books";

type Kind = "new" | "new_same_name" | "returning_email" | "returning_name" | "ambiguous" | "not_found";
type Case = Registrant & { kind: Kind; expect: { status: "synced" | "skipped" | "failed"; contactId?: string } };

// Deterministic PRNG so a run can be repeated with --seed.
let state = SEED;
const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);

let finished = false;

async function main() {
  const started = Date.now();
  const [pgPort, proxyPort, sandboxPort, workerPort] = await freePorts(4);
  const tmp = path.join(os.tmpdir(), `cangoods-chaos-${process.pid}`);
  console.log(`Chaos run: ${CUSTOMERS} registrations, seed ${SEED}. Starting the system…`);
  const stack = await startBackingServices({ ports: { postgres: pgPort, proxy: proxyPort, sandbox: sandboxPort }, dataDir: path.join(tmp, "pg"), persistent: false, database: "cangoods_chaos", sandboxSeed: "empty" });
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
  const node = openNodeDb(stack.databaseUrl, 4);
  try {
    await buildApp();
    const url = `http://127.0.0.1:${workerPort}`;
    const vars = localWorkerVars(stack, url, {
      APP_ENV: "test",
      ZOHO_DAILY_CALL_LIMIT: String(DAILY_LIMIT),
      ZOHO_INVOICE_RESERVE: "0",
      ZOHO_CALLS_PER_MINUTE: "100000",
      ZOHO_TIMEOUT_MS: "1500",
      SYNC_LEASE_SECONDS: "3",
      CHAOS_CRASH_RATE: "0.05",
      CHAOS_DUPLICATE_RATE: "0.1",
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
      if (r < 0.4) cases.push({ ...person, customerType: "new", kind: "new", expect: { status: "synced" } });
      else if (r < 0.45) cases.push({ ...person, firstName: "Juan", lastName: "Dela Cruz", customerType: "new", kind: "new_same_name", expect: { status: "synced" } });
      else if (r < 0.7) {
        await sandbox.addContact({ contact_name: `Chaos Person${id}`, first_name: "Chaos", last_name: `Person${id}`, email: person.email });
        // Registered through the Worker, so the email is not verified: never linked, sent to review (issue 11).
        cases.push({ ...person, customerType: "returning", kind: "returning_email", expect: { status: "skipped" } });
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
    await sandbox.clearCalls();
    // Faults (first matching rule wins): hangs, 5xx, lost replies, 429s, Zoho's failures inside 200, latency.
    await sandbox.addFault({ path: "/books/v3/contacts", probability: 0.01, timeout: true });
    await sandbox.addFault({ path: "/books/v3/contacts", probability: 0.06, status: 503, code: 1, message: "Service temporarily unavailable" });
    await sandbox.addFault({ path: "/books/v3/contacts", method: "POST", probability: 0.05, status: 500, code: 1, afterEffect: true, message: "Reply lost" });
    await sandbox.addFault({ path: "/books/v3/contacts", probability: 0.04, status: 429, code: 44, message: "Too many requests" });
    await sandbox.addFault({ path: "/books/v3/contacts", probability: 0.02, body200: true, code: 9999, message: "Internal processing error" });
    await sandbox.addFault({ path: "/books/v3/contacts", probability: 0.2, latencyMs: 40 });

    const workerLog = fs.createWriteStream(path.join(os.tmpdir(), `cangoods-chaos-worker-${process.pid}.log`));
    worker = await startWorker({ port: workerPort, vars, persistTo: path.join(tmp, "wrangler"), log: (line) => workerLog.write(`${line}\n`) });
    worker.child.once("exit", (code) => {
      if (!finished) console.error(`The Worker exited (${code}) during the run; its log: ${workerLog.path}`);
    });
    console.log(`Registering ${CUSTOMERS} customers (8 at a time) while the sweep overlaps the consumer…`);
    let sweeping = true;
    const sweeper = (async () => {
      while (sweeping) {
        // Time passes faster here: backoffs and rate-limit pauses elapse at once, then the sweep runs.
        await node.pool.query("update zoho_sync_queue set scheduled_for = now(), enqueued_at = null where processed_at is null and scheduled_for > now()");
        await Promise.all([fetch(`${url}/__scheduled?cron=0+*+*+*+*`), fetch(`${url}/__scheduled?cron=0+*+*+*+*`)]).catch(() => {});
        await new Promise((r) => setTimeout(r, 400));
      }
    })();
    const failedRegistrations: string[] = [];
    for (let i = 0; i < cases.length; i += 8) {
      await Promise.all(
        cases.slice(i, i + 8).map(async (c) => {
          const res = await register(url, c).catch((e: Error) => ({ status: 0, error: e.message }));
          if (res.status !== 302) failedRegistrations.push(`${c.email}: ${res.status}`);
        }),
      );
    }
    console.log(`Registered in ${((Date.now() - started) / 1000).toFixed(0)} s. Waiting for every customer to settle…`);
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
    const { rows } = await node.pool.query(`select email, zoho_sync_status as status, zoho_contact_id as contact, zoho_sync_error as error, zoho_sync_attempts as attempts, zoho_review_reason as reason from customers`);
    const byEmail = new Map(rows.map((r) => [r.email, r]));
    const contacts: SandboxContact[] = await sandbox.listContacts();
    const contactsByEmail = new Map<string, number>();
    for (const c of contacts)
      for (const e of new Set([c.email, ...(c.contact_persons ?? []).map((p) => p.email)].filter(Boolean) as string[]))
        contactsByEmail.set(e.toLowerCase(), (contactsByEmail.get(e.toLowerCase()) ?? 0) + 1);
    let lost = 0, duplicates = 0, wrong = 0, gaveUp = 0, heldUnverified = 0;
    const problems: string[] = [];
    for (const c of cases) {
      const row = byEmail.get(c.email);
      if (!row || row.status === "pending" || row.status === "syncing") {
        lost++;
        problems.push(`lost: ${c.email} (${row?.status ?? "no customer row"})`);
        continue;
      }
      const expectedContacts = c.kind === "ambiguous" ? 2 : c.kind === "not_found" ? 0 : 1;
      const have = contactsByEmail.get(c.email) ?? 0;
      if (have > expectedContacts) {
        duplicates++;
        problems.push(`duplicate: ${c.email} has ${have} Zoho contacts (expected ${expectedContacts})`);
      }
      if (row.status === "failed" && row.error !== NO_MATCH && row.attempts >= 3) {
        gaveUp++; // three transient failures in a row: the spec's "failed with the last error"
        continue;
      }
      // A new customer whose create reply was lost finds its contact by email on the retry; adopting a contact
      // found by email needs a verified address (issue 11), and these registrants never verify: review.
      if (c.kind.startsWith("new") && row.status === "skipped" && row.reason === "unverified" && !row.contact) {
        heldUnverified++;
        continue;
      }
      const ok = row.status === c.expect.status && (!c.expect.contactId || row.contact === c.expect.contactId) && (c.expect.status !== "failed" || row.error === NO_MATCH);
      if (!ok) {
        wrong++;
        problems.push(`wrong: ${c.email} (${c.kind}) is ${row.status}${row.error ? ` "${row.error}"` : ""}, expected ${c.expect.status}`);
      }
    }
    const ledger = (await node.pool.query("select day::text, total, sync, refused from zoho_api_ledger")).rows;
    const overBudget = ledger.filter((d) => d.total > DAILY_LIMIT).length;
    const zohoCalls = (await sandbox.calls()).length;
    const counted = ledger.reduce((a, d) => a + d.total, 0);
    const maxAttempts = Math.max(0, ...rows.map((r) => r.attempts));
    const events = (await node.pool.query("select count(*) filter (where outcome = 'lease_expired')::int as recovered, sum(zoho_calls)::int as calls from zoho_sync_events")).rows[0];

    const summary = [
      ["customers registered", `${cases.length - failedRegistrations.length} of ${cases.length}`],
      ["customers lost", lost],
      ["duplicate Zoho contacts", duplicates],
      ["wrong end states", wrong],
      ["failed after 3 transient errors (spec: retry 3×, then failed)", gaveUp],
      ["new customers held for review after a lost reply (email not verified)", heldUnverified],
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
    const bad = lost + duplicates + wrong + overBudget + failedRegistrations.length + (zohoCalls > counted ? 1 : 0);
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

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`chaos run could not complete: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(2);
  },
);
