// `npm run bench`: performance and cost figures, measured against the real system started locally
// (embedded Postgres, the Zoho sandbox, the Worker under wrangler dev). Prints a Markdown table.
// Figures, not pass/fail: targets live in the README next to the latest numbers.
//
//   npm run bench                      everything (burst with its default size: 10,000 in 10 minutes)
//   npm run bench -- registration      registration (submit + Confirm POST) with/without the queue send (--runs 200)
//   npm run bench -- burst --count 300 --minutes 1 [--idle 40 --concurrency 64 --per-minute 80 --daily-limit 500]
//                      [--rates 1,2,3 --step-seconds 60]: a step at each rate first; prints the most the machine holds
//   npm run bench -- list --customers 100000,1000000
//   npm run bench -- calls | matching | claim | bundle
//   npm run bench -- mirror --contacts 10000,100000   the mirror of Zoho: calls per customer, full read, matching, orders
//   … --repeat 3                       each chosen suite 3 times, each on a fresh stack: figures as median (range)
//   npm run bench -- --smoke           every suite once at a tiny size (npm test runs it: it must complete)
//
// Each suite is its own module beside this one (calls, new-customer-calls, matching, list, claim, bundle,
// registration, burst, mirror); this file parses the options, starts the shared stack and prints the table.
import { neonConfig } from "@neondatabase/serverless";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ws from "ws";
import { z } from "zod";
import { openDb } from "~/db/client.server";
import { SandboxControl } from "@tools/zoho-sandbox/control-client";
import { signInAdmin } from "@tools/admin-sign-in";
import { HttpSession } from "@tools/local-stack/http-session";
import { benchBundle } from "./bundle";
import { benchBurst } from "./burst";
import { benchCallsPerCustomer } from "./calls";
import { benchJobClaim } from "./claim";
import { benchList } from "./list";
import { dailyCap } from "~/zoho/ledger.server";
import { benchNewCustomerCalls } from "./new-customer-calls";
import { benchRegistration } from "./registration";
import { benchMatching } from "./matching";
import { benchMirror, FULL_SIZE as MIRROR_FULL_SIZE } from "./mirror";
import { parseEnv } from "~/env.server";
import { ZohoClient } from "~/zoho/client.server";
import { openNodeDb } from "@tools/local-stack/node-db";
import { connectToSandbox } from "@tools/local-stack/sandbox-connect";
import { DEMO_ADMIN, seedDemoData } from "@tools/local-stack/seed";
import { freePorts } from "@tools/local-stack/processes";
import { buildApp, localWorkerVars, startWorker, type WorkerProcess } from "@tools/local-stack/stack";
import { benchCommand, brokenFigures, combineRuns, SUITES, type FigureRow, type Suite } from "./runs";
import { startBenchServices } from "./services";

const OptionsSchema = z.object({
  suite: z.enum(["all", ...SUITES]).default("all"),
  runs: z.coerce.number().int().min(10).max(5000).default(Number(process.env.BENCH_RUNS ?? 200)),
  count: z.coerce.number().int().min(1).max(100_000).default(10_000),
  minutes: z.coerce.number().min(0.1).max(120).default(10),
  idle: z.coerce.number().int().min(5).max(1000).default(40),
  concurrency: z.coerce.number().int().min(1).max(1000).default(64),
  "per-minute": z.coerce.number().int().min(1).max(100_000).default(80),
  "daily-limit": z.coerce.number().int().min(1).default(500),
  rates: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(",").map(Number) : undefined))
    .pipe(z.array(z.number().positive().max(1000)).min(1).optional()),
  "step-seconds": z.coerce.number().int().min(10).max(3600).default(60),
  customers: z
    .string()
    .default("100000")
    .transform((v) => v.split(",").map(Number))
    .pipe(z.array(z.number().int().min(1000).max(5_000_000)).min(1)),
  /** The mirror suite's directory sizes for its full reads. */
  contacts: z
    .string()
    .default("10000,100000")
    .transform((v) => v.split(",").map(Number))
    .pipe(z.array(z.number().int().min(100).max(1_000_000)).min(1)),
  /** Runs of each chosen suite, each on its own fresh stack; figures print as median (range). */
  repeat: z.coerce.number().int().min(1).max(20).default(1),
  /** `--smoke`: every suite once at a tiny size (npm test); a suite that throws or prints no figures fails the run. */
  smoke: z.literal("").optional(),
  /** `--skip-build`: the app was just built (npm test). */
  "skip-build": z.literal("").optional(),
  /** With --smoke: where to write each suite's result as JSON (scripts/test.ts counts them). */
  report: z.string().optional(),
});
type Options = z.infer<typeof OptionsSchema>;

/** Flags that take no value. */
const FLAGS = new Set(["smoke", "skip-build"]);

function parseArgs(argv: string[]) {
  const raw: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith("--")) raw[argv[i].slice(2)] = FLAGS.has(argv[i].slice(2)) ? "" : (argv[++i] ?? "");
    else raw.suite = argv[i];
  }
  const parsed = OptionsSchema.strict().safeParse(raw);
  if (!parsed.success) {
    console.error(`bench: ${parsed.error.issues.map((i) => `${i.path.join(".") || "option"}: ${i.message}`).join("; ")}`);
    process.exit(2);
  }
  return { opts: parsed.data, given: raw };
}

const { opts: cli, given } = parseArgs(process.argv.slice(2));
const smoke = cli.smoke !== undefined;

/** Tiny sizes for `--smoke`: every code path of every suite, in about two minutes on two busy cores. */
const SMOKE = {
  registration: { runs: 3, warmup: 1 },
  calls: { mix: { new: 3, byEmail: 2, byName: 1 }, people: 2 },
  list: { customers: [1000], runs: 2 },
  claim: { jobs: 1000, claims: 10 },
  burst: { count: 4, minutes: 0.1, idle: 5, concurrency: 4 },
  mirror: { mix: { new: 2, byEmail: 1, byName: 1, notInMirror: 1, secondary: 1 }, contacts: [400], lookups: 10, views: 20 },
};

const wants = (suite: Suite) => cli.suite === "all" || cli.suite === suite;
let rows: FigureRow[] = [];
let currentSuite: Suite = "registration";
const report = (name: string, value: string) => {
  rows.push({ suite: currentSuite, name, value });
  console.log(`  ${name}: ${value}`);
};
/** Each suite's outcome in this process (smoke: a failing suite does not stop the others). */
const outcomes: Array<{ suite: Suite; ok: boolean; seconds: number; error?: string }> = [];

/** Runs one suite, recording its outcome; outside a smoke run an error stops everything. */
async function suite(name: Suite, body: () => Promise<void>) {
  currentSuite = name;
  const before = rows.length;
  const t0 = performance.now();
  try {
    await body();
    const broken = smoke ? brokenFigures(rows.slice(before)) : null;
    if (broken) throw new Error(`${name}: ${broken}`);
    outcomes.push({ suite: name, ok: true, seconds: (performance.now() - t0) / 1000 });
  } catch (error) {
    outcomes.push({ suite: name, ok: false, seconds: (performance.now() - t0) / 1000, error: error instanceof Error ? error.stack ?? error.message : String(error) });
    if (!smoke) throw error;
    console.error(`bench smoke: ${name} failed: ${error instanceof Error ? error.stack : String(error)}`);
  }
}

async function main() {
  // The burst and registration figures start their own stacks (their own Workers and databases).
  if (cli["skip-build"] === undefined) await buildApp();
  const runs: FigureRow[][] = [];
  for (let run = 1; run <= cli.repeat; run++) {
    if (cli.repeat > 1) console.log(`\n=== Run ${run} of ${cli.repeat} ===`);
    await runOnce(cli);
    runs.push(rows);
    rows = [];
  }
  const combined = combineRuns(runs);
  const head = cli.repeat > 1 ? `median of ${cli.repeat} runs (range)` : "value (one run)";
  console.log(`\n| figure | ${head} | command |\n|---|---|---|`);
  for (const r of combined) console.log(`| ${r.name} | ${r.value} | ${smoke ? "smoke size: not a figure" : `\`${benchCommand(r.suite, given, Math.max(3, cli.repeat))}\``} |`);
  const load = os.loadavg().map((l) => l.toFixed(1)).join(", ");
  console.log(`\nMeasured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}; load average at the end ${load}.`);
  if (smoke) {
    for (const o of outcomes) console.log(`${o.ok ? "✔" : "✖"} bench ${o.suite} (${o.seconds.toFixed(1)}s)${o.ok ? "" : `: ${o.error?.split("\n")[0]}`}`);
    if (cli.report) fs.writeFileSync(cli.report, JSON.stringify({ suites: outcomes }, null, 2));
  }
  return outcomes.every((o) => o.ok) ? 0 : 1;
}

async function runOnce(opts: Options) {
  if (wants("registration"))
    await suite("registration", async () => {
      console.log(`\n1. Registration: submit and Confirm on the mailed link (the Confirm POST sends to the queue), with and without the queue binding; ${opts.runs} samples each, interleaved; no consumer running`);
      const registration = await benchRegistration({ ...(smoke ? SMOKE.registration : { runs: opts.runs }), skipBuild: true, log: (l) => console.log(`  ${l}`) });
      reportLines(registration.lines);
    });
  if (wants("calls") || wants("matching") || wants("list") || wants("claim") || wants("bundle") || wants("mirror")) await onSharedStack(opts);
  if (wants("burst"))
    await suite("burst", async () => {
      const size = smoke ? SMOKE.burst : { count: opts.count, minutes: opts.minutes, idle: opts.idle, concurrency: opts.concurrency };
      console.log(`\n6. Registration burst: ${size.count} registrations in ${size.minutes} min through the Worker with its queue consumer`);
      const burst = await benchBurst({
        ...size,
        perMinute: opts["per-minute"],
        dailyLimit: opts["daily-limit"],
        rates: smoke ? undefined : opts.rates,
        stepSeconds: opts["step-seconds"],
        skipBuild: true,
        log: (l) => console.log(`  ${l}`),
      });
      reportLines(burst.lines);
    });
}

function reportLines(lines: string[]) {
  for (const line of lines) {
    const i = line.indexOf(": ");
    const [k, v] = i > 0 && !line.startsWith("(") ? [line.slice(0, i), line.slice(i + 2)] : ["Note", line];
    report(k, v);
  }
}

async function onSharedStack(opts: Options) {
  console.log("\nStarting Postgres, proxy, sandbox and a Worker…");
  const { stack, tmp, ports: [workerPort], stop: stopServices } = await startBenchServices("shared", 1);
  const workers: WorkerProcess[] = [];
  try {
    const url = `http://127.0.0.1:${workerPort}`;
    const vars = localWorkerVars(stack, url, { APP_ENV: "test", ZOHO_DAILY_CALL_LIMIT: "100000", ZOHO_CALLS_PER_MINUTE: "100" });
    const node = openNodeDb(stack.databaseUrl, 4);
    await seedDemoData(node.db, vars.TOKEN_ENCRYPTION_KEY);
    await connectToSandbox(node.db, stack.sandboxUrl, vars.TOKEN_ENCRYPTION_KEY);
    await node.pool.query("truncate customers, zoho_sync_events cascade"); // and their jobs
    // Sandbox limits high enough for a benchmark (the ledger still counts every call).
    const sandbox = new SandboxControl(stack.sandboxUrl);
    await sandbox.settings({ dailyLimit: 1_000_000, perMinuteLimit: 1_000_000 });
    // A free inspector port too (the default, the Worker's port + 1000, may be anyone's on a shared machine).
    workers.push(await startWorker({ port: workerPort, vars, persistTo: path.join(tmp, "w1"), inspectorPort: (await freePorts(1))[0] }));

    if (wants("calls"))
      await suite("calls", async () => {
        await benchCallsPerCustomer({ node, sandbox, url, inboxUrl: stack.mail!.inboxUrl, report, mix: smoke ? SMOKE.calls.mix : undefined });
        console.log("\n2c. Zoho calls per new customer, budget with room and under pressure");
        await benchNewCustomerCalls({ url, inboxUrl: stack.mail!.inboxUrl, node, syncCap: dailyCap("sync", parseEnv(vars as never)), report, people: smoke ? SMOKE.calls.people : undefined });
      });
    if (wants("matching"))
      await suite("matching", async () => {
        console.log("\n2b. Finding returning customers under Zoho's real filters (reference set on the sandbox seed)");
        neonConfig.webSocketConstructor = ws;
        const matchDb = openDb(stack.databaseUrl, stack.wsProxy);
        const matchEnv = parseEnv({ ...vars, ZOHO_CALLS_PER_MINUTE: "100000" });
        try {
          const matching = await benchMatching({
            sandbox,
            connect: () => connectToSandbox(node.db, stack.sandboxUrl, vars.TOKEN_ENCRYPTION_KEY),
            client: () => new ZohoClient({ db: matchDb.db, env: matchEnv, purpose: "sync" }),
          });
          for (const [name, value] of matching.rows) report(name, value);
        } finally {
          await matchDb.close();
        }
      });
    if (wants("list"))
      await suite("list", async () => {
        const admin = new HttpSession(url);
        await signInAdmin(admin, DEMO_ADMIN);
        for (const customers of [...(smoke ? SMOKE.list.customers : opts.customers)].sort((a, b) => a - b)) {
          console.log(`\n3. Admin list at ${customers.toLocaleString("en-US")} customers (rows + status counts)`);
          const lines = await benchList({ pool: node.pool, databaseUrl: stack.databaseUrl, wsProxy: stack.wsProxy, admin, log: (l) => console.log(`  ${l}`) }, customers, smoke ? SMOKE.list.runs : undefined);
          reportLines(lines);
        }
      });
    if (wants("claim")) await suite("claim", () => benchJobClaim({ node, stack, report, ...(smoke ? SMOKE.claim : {}) }));
    if (wants("mirror"))
      await suite("mirror", async () => {
        console.log(`\n7. The mirror of Zoho (load average at the start ${os.loadavg().map((l) => l.toFixed(1)).join(", ")})`);
        await benchMirror({
          node, sandbox, url, inboxUrl: stack.mail!.inboxUrl, databaseUrl: stack.databaseUrl, wsProxy: stack.wsProxy, vars, report,
          size: smoke ? SMOKE.mirror : { ...MIRROR_FULL_SIZE, contacts: opts.contacts },
        });
        report("Mirror: load average at the end (1, 5, 15 min; 2 cores)", os.loadavg().map((l) => l.toFixed(1)).join(", "));
      });
    await node.close();
    if (wants("bundle"))
      await suite("bundle", async () => {
        console.log("\n5. Worker bundle");
        await benchBundle({ outDir: path.join(tmp, "dry"), report });
      });
  } finally {
    for (const w of workers) await w.stop();
    await stopServices();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`bench failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
