// `npm run chaos [-- --customers 1000 --seed 7]`: registrations through the real Worker while the
// sandbox injects 5xx, 429, timeouts and latency, consumers "crash" between the Zoho write and ours,
// messages arrive twice, and the hourly sweep runs on top of the consumer. On top of that: a backfill of
// pre-existing customers (half already in Zoho, some only on a secondary contact person), "new" people
// who are already in Zoho, admin retries/resets/unlinks during the run, a 30-minute Zoho outage in the
// middle (simulated clock: the probe schedule is fast-forwarded) and one poison job that kills the
// worker every time. Once everyone settled, Zoho's side changes under a few percent of the linked customers
// (merges, deletions, inactivations, other emails; scripts/chaos/zoho-edits.ts). Then every customer is compared with an oracle. Exits non-zero on any loss,
// duplicate, wrong state, over-budget day, customer failed by the outage, or more than 3 attempts.
// The pieces: its world (scripts/chaos/world.ts: cases, contacts, faults), its drivers
// (scripts/chaos/drivers.ts: registrants, the admin, the outage and the sweeper) and its oracle
// (scripts/chaos/oracle.ts). This file starts the system, runs them in order and prints the verdict.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { SandboxControl } from "@tools/zoho-sandbox/control-client";
import { openNodeDb } from "@tools/local-stack/node-db";
import { freePorts } from "@tools/local-stack/processes";
import { connectToSandbox } from "@tools/local-stack/sandbox-connect";
import { retryRequestsWhileRestarting } from "@tools/local-stack/http-session";
import { buildApp, localWorkerVars, startBackingServices, startSupervisedWorker } from "@tools/local-stack/stack";
import { adminMeddles, adminStartsBackfill, registerEveryone, startSweeper, type AdminActions, type Outage } from "./chaos/drivers";
import { judge } from "./chaos/oracle";
import { buildWorld, everydayFaults, POISON_EMAIL, seededRandom } from "./chaos/world";
import { editInZoho, waitForZohoEdits, WEBHOOK_SECRET } from "./chaos/zoho-edits";

const argv = process.argv.slice(2);
const arg = (name: string, fallback: number) => (argv.includes(`--${name}`) ? Number(argv[argv.indexOf(`--${name}`) + 1]) : fallback);
const CUSTOMERS = arg("customers", 1000);
const SEED = arg("seed", 7);
// Roomy enough that a new customer's email is always looked up first (create-policy.ts); the budget
// pressure mode (create, check later) is covered by tests/workers/sync-recovery.test.ts and the bench.
const DAILY_LIMIT = Math.max(4000, CUSTOMERS * 8);
// The pace: high, so the run measures the engine, not the pace (the settle bound after the outage uses it).
const PER_MINUTE = 100_000;
/** The share of customers linked by their verified email whose contact is edited in Zoho after linking. */
const EDIT_SHARE = 0.04;
const TIMEOUT_MS = arg("minutes", Math.max(3, Math.ceil(CUSTOMERS / 100))) * 60_000;

let finished = false;

async function main() {
  const started = Date.now();
  const [pgPort, proxyPort, sandboxPort, workerPort, mailSmtp, mailWeb] = await freePorts(6);
  const tmp = path.join(os.tmpdir(), `cangoods-chaos-${process.pid}`);
  console.log(`Chaos run: ${CUSTOMERS} registrations, seed ${SEED}. Starting the system…`);
  const stack = await startBackingServices({ ports: { postgres: pgPort, proxy: proxyPort, sandbox: sandboxPort, mailSmtp, mailWeb }, dataDir: path.join(tmp, "pg"), persistent: false, database: "cangoods_chaos", sandboxSeed: "empty" });
  let worker: Awaited<ReturnType<typeof startSupervisedWorker>> | undefined;
  const node = openNodeDb(stack.databaseUrl, 4);
  try {
    // `--skip-build`: the app was just built (npm test, whose other steps run against that build meanwhile).
    if (!argv.includes("--skip-build")) await buildApp();
    const url = `http://127.0.0.1:${workerPort}`;
    const vars = localWorkerVars(stack, url, {
      APP_ENV: "test",
      ZOHO_DAILY_CALL_LIMIT: String(DAILY_LIMIT),
      ZOHO_ORDERS_DAILY_SHARE: "0",
      ZOHO_ADMIN_DAILY_SHARE: "0",
      ZOHO_CALLS_PER_MINUTE: String(PER_MINUTE),
      ZOHO_TIMEOUT_MS: "1500",
      SYNC_LEASE_SECONDS: "3",
      CHAOS_CRASH_RATE: "0.05",
      CHAOS_DUPLICATE_RATE: "0.1",
      CHAOS_POISON_EMAIL: POISON_EMAIL,
      // The mirror's share: its reads, the webhook's re-reads and a weekly pass during the Zoho-side edits.
      MIRROR_FULL_READ_DAILY_CALLS: String(Math.max(400, CUSTOMERS)),
      ZOHO_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    await connectToSandbox(node.db, stack.sandboxUrl, vars.TOKEN_ENCRYPTION_KEY);
    const sandbox = new SandboxControl(stack.sandboxUrl);
    await sandbox.settings({ dailyLimit: DAILY_LIMIT * 2, perMinuteLimit: 1_000_000 });

    // The world before the run: contacts returning customers should find, customers from before sync.
    const { cases, backfill } = await buildWorld({ customers: CUSTOMERS, random: seededRandom(SEED), sandbox, node, encryptionKey: vars.TOKEN_ENCRYPTION_KEY });
    await sandbox.clearCalls();
    await everydayFaults(sandbox);

    const workerLog = fs.createWriteStream(path.join(os.tmpdir(), `cangoods-chaos-worker-${process.pid}.log`));
    worker = await startSupervisedWorker({
      port: workerPort,
      vars,
      persistTo: path.join(tmp, "wrangler"),
      log: (line) => workerLog.write(`${line}\n`),
      onRestart: (n, code) => {
        if (!finished) console.error(`wrangler dev exited (${code}) during the run; starting it again (restart ${n}); its log: ${workerLog.path}`);
      },
    });
    retryRequestsWhileRestarting(url, worker.whenUp);
    console.log(`Registering ${CUSTOMERS} customers (8 at a time) while the sweep overlaps the consumer…`);
    const admin = await adminStartsBackfill(url);
    const outage: Outage = { state: "before", simulatedMs: 0, start: 0, end: 0, paused: false };
    const sweeper = startSweeper({ node, sandbox, url, outage, timeoutMs: TIMEOUT_MS, worker });
    const adminActions: AdminActions = { retries: 0, resets: 0, unlinks: 0 };
    const failedRegistrations = await registerEveryone({ url, inboxUrl: stack.mail!.inboxUrl, cases, sandbox, node, admin, outage, adminActions });
    console.log(`Registered in ${((Date.now() - started) / 1000).toFixed(0)} s. Waiting for every customer to settle…`);
    while (outage.state === "on") await new Promise((r) => setTimeout(r, 500));
    await adminMeddles(node, admin, adminActions);
    const deadline = Date.now() + TIMEOUT_MS;
    let open = Infinity;
    while (Date.now() < deadline && !worker.gaveUp) {
      open = (await node.pool.query("select count(*)::int as n from customers where zoho_sync_status in ('pending', 'syncing')")).rows[0].n;
      if (open === 0) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    // Zoho's side changes under linked customers: merges, deletions, inactivations, other emails (zoho-edits.ts).
    const edited = await editInZoho({ node, sandbox, cases, url, share: EDIT_SHARE });
    console.log(`Edited ${edited.length} linked customers' contacts in Zoho; waiting for the webhook and the scheduled reads…`);
    const zohoEdits = { ...(await waitForZohoEdits({ node, edited, timeoutMs: Math.min(TIMEOUT_MS, 120_000) })), deliveries: (await sandbox.webhookDeliveries()).filter((w) => w.status === "delivered").length };
    await sweeper.stop();
    finished = true;

    const verdict = await judge({ node, sandbox, cases, backfilled: backfill.length, failedRegistrations, outage, adminActions, dailyLimit: DAILY_LIMIT, perMinute: PER_MINUTE, started, zohoEdits });
    const summary = [...verdict.summary, ["local Worker restarts (wrangler dev exiting on its own: workers-sdk#15317)", worker.gaveUp ? `${worker.restarts}, then gave up` : String(worker.restarts)] as const];
    const problems = worker.gaveUp ? [...verdict.problems, "the local Worker could not be started again"] : verdict.problems;
    const bad = verdict.bad + (worker.gaveUp ? 1 : 0);
    console.log("\n| chaos run | result |\n|---|---|");
    for (const [k, v] of summary) console.log(`| ${k} | ${v} |`);
    for (const p of [...failedRegistrations.map((f) => `registration failed: ${f}`), ...problems].slice(0, 20)) console.log(`  ${p}`);
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
