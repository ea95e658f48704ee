// `npm run bench`: performance and cost figures, measured against the real system started locally
// (embedded Postgres, the Zoho sandbox, the Worker under wrangler dev). Prints a Markdown table.
// Figures, not pass/fail: targets live in the README next to the latest numbers.
import { neonConfig } from "@neondatabase/serverless";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import ws from "ws";
import { openDb } from "~/db/client.server";
import { claimJob, dueJobs } from "~/sync/jobs.server";
import { SandboxControl } from "@tools/zoho-sandbox/control-client";
import { register, HttpSession, type Registrant } from "@tools/local-stack/http-session";
import { benchNewCustomerCalls } from "./new-customer-calls";
import { benchRegistration, quantile } from "./registration";
import { openNodeDb } from "@tools/local-stack/node-db";
import { connectToSandbox } from "@tools/local-stack/sandbox-connect";
import { DEMO_ADMIN, seedDemoData } from "@tools/local-stack/seed";
import { buildApp, freePorts, localWorkerVars, run, startBackingServices, startWorker, type WorkerProcess } from "@tools/local-stack/stack";

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const rows: Array<[string, string]> = [];
const report = (name: string, value: string) => {
  rows.push([name, value]);
  console.log(`  ${name}: ${value}`);
};

const ms = (v: number) => `${v.toFixed(1)} ms`;
const p50p95 = (v: number[]) => `p50 ${ms(quantile(v, 0.5))}, p95 ${ms(quantile(v, 0.95))}`;

async function main() {
  const [pgPort, proxyPort, sandboxPort, workerPort] = await freePorts(4);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cangoods-bench-"));
  fs.chmodSync(tmp, 0o755); // initdb runs as the postgres user when we are root
  console.log("Starting Postgres, proxy, sandbox; building the Worker…");
  const stack = await startBackingServices({
    ports: { postgres: pgPort, proxy: proxyPort, sandbox: sandboxPort },
    dataDir: path.join(tmp, "pg"),
    persistent: false,
    database: "cangoods_bench",
  });
  const workers: WorkerProcess[] = [];
  try {
    await buildApp();
    const url = `http://127.0.0.1:${workerPort}`;
    const vars = localWorkerVars(stack, url, { APP_ENV: "test", ZOHO_DAILY_CALL_LIMIT: "100000", ZOHO_CALLS_PER_MINUTE: "100" });
    const node = openNodeDb(stack.databaseUrl, 4);
    await seedDemoData(node.db);
    await connectToSandbox(node.db, stack.sandboxUrl, vars.TOKEN_ENCRYPTION_KEY);
    await node.db.execute("truncate customers, zoho_sync_queue, zoho_sync_events cascade" as never);
    // Sandbox limits high enough for a benchmark (the ledger still counts every call).
    const sandbox = new SandboxControl(stack.sandboxUrl);
    await sandbox.settings({ dailyLimit: 1_000_000, perMinuteLimit: 1_000_000 });

    workers.push(await startWorker({ port: workerPort, vars, persistTo: path.join(tmp, "w1") }));
    const person = (i: number, tag: string): Registrant => ({
      firstName: "Bench",
      lastName: `${tag}${i}`,
      email: `bench.${tag}${i}@bench.example`,
      phone: "09171234567",
      customerType: "new",
    });

    console.log(`\n1. Registration submit (with and without the queue send; its own Workers, no consumer running)`);
    const registration = await benchRegistration({ runs: RUNS, skipBuild: true, log: (l) => console.log(`  ${l}`) });
    for (const line of registration.lines) {
      const i = line.indexOf(": ");
      rows.push(i > 0 && !line.startsWith("(") ? [line.slice(0, i), line.slice(i + 2)] : ["Note", line]);
    }

    console.log("\n2. Zoho calls per synced customer (fixed mix)");
    await node.pool.query("truncate customers, zoho_sync_queue, zoho_sync_events, zoho_api_minutes cascade");
    for (let i = 0; i < 20; i++) await sandbox.addContact({ contact_name: `Return Email${i}`, first_name: "Return", last_name: `Email${i}`, email: `return.email${i}@bench.example` });
    for (let i = 0; i < 10; i++) await sandbox.addContact({ contact_name: `Return Byname${i}`, first_name: "Return", last_name: `Byname${i}`, email: `old.address${i}@bench.example` });
    const mix: Registrant[] = [
      ...Array.from({ length: 30 }, (_, i) => ({ ...person(i, "mixnew"), lastName: `Newcomer${i}` })),
      ...Array.from({ length: 20 }, (_, i) => ({ firstName: "Return", lastName: `Email${i}`, email: `return.email${i}@bench.example`, phone: "09171234567", customerType: "returning" as const })),
      ...Array.from({ length: 10 }, (_, i) => ({ firstName: "Return", lastName: `Byname${i}`, email: `new.address${i}@bench.example`, phone: "09171234567", customerType: "returning" as const })),
    ];
    await Promise.all(mix.map((p) => register(url, p)));
    const deadline = Date.now() + 120_000;
    for (;;) {
      const { rows: open } = await node.pool.query("select count(*)::int as n from customers where zoho_sync_status in ('pending', 'syncing')");
      if (open[0].n === 0) break;
      if (Date.now() > deadline) throw new Error(`${open[0].n} customers still not synced after 2 minutes`);
      // Jobs paced to the next minute are moved to now (time travel) so the sweep can send them.
      await node.pool.query("update zoho_sync_queue set scheduled_for = now(), enqueued_at = null where processed_at is null and locked_until is null and scheduled_for > now()");
      await fetch(`${url}/__scheduled?cron=0+*+*+*+*`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const { rows: calls } = await node.pool.query(`
      select c.is_returning_customer as returning, c.zoho_match_type as how, count(distinct c.id)::int as customers, sum(e.zoho_calls)::int as calls
      from customers c join zoho_sync_events e on e.customer_id = c.id
      group by 1, 2 order by 1, 2`);
    let totalCalls = 0;
    let totalCustomers = 0;
    for (const r of calls) {
      report(`Calls per customer: ${r.returning ? "returning" : "new"}, ${r.how ? `linked by ${r.how}` : "not linked"}`, `${(r.calls / r.customers).toFixed(2)} (${r.customers} customers)`);
      totalCalls += r.calls;
      totalCustomers += r.customers;
    }
    const perCustomer = totalCalls / Math.max(1, totalCustomers);
    const syncCap = 500 - 50;
    report("Calls per synced customer: whole mix", perCustomer.toFixed(2));
    report("Customers synced per day inside the default budget (450 sync calls)", String(Math.floor(syncCap / perCustomer)));

    console.log("\n2b. Zoho calls per new customer, budget with room and under pressure");
    await benchNewCustomerCalls({ url, node, syncCap: 100_000 - 50, report });

    console.log("\n3. Admin list at 100,000 customers");
    await node.pool.query(`
      insert into customers (first_name, last_name, email, phone, delivery_method, is_returning_customer, zoho_sync_status, created_at)
      select 'First' || g, 'Last' || g, 'customer' || g || '@scale.example', '+639170000000', 'pickup', g % 3 = 0,
        (array['pending','synced','synced','synced','failed','skipped','manual'])[1 + g % 7], now() - (g || ' minutes')::interval
      from generate_series(1, 100000) g`);
    await node.pool.query("analyze customers");
    const admin = new HttpSession(url);
    await admin.post("/login", { email: DEMO_ADMIN.email, password: DEMO_ADMIN.password, redirectTo: "" });
    for (const [label, query] of [
      ["newest first", ""],
      ["filtered (failed)", "?status=failed"],
      ["searched (name/email)", "?q=customer4242"],
      ["filtered + searched", "?status=synced&q=last777"],
      ["sorted by last name", "?sort=name"],
    ]) {
      const times: number[] = [];
      for (let i = 0; i < 20; i++) {
        const t0 = performance.now();
        const res = await admin.request(`/admin/customers${query}`);
        await res.text();
        if (res.status !== 200) throw new Error(`/admin/customers${query} answered ${res.status}`);
        times.push(performance.now() - t0);
      }
      report(`Admin list, ${label}`, p50p95(times));
    }
    for (const [label, sql] of [
      ["list (newest first)", "select id from customers where true order by created_at desc nulls last, id desc nulls last limit 26"],
      ["list (filtered)", "select id from customers where zoho_sync_status = 'failed' order by created_at desc nulls last, id desc nulls last limit 26"],
      ["search", "select id from customers where lower(first_name || ' ' || last_name || ' ' || email) like '%customer4242%' order by created_at desc nulls last, id desc nulls last limit 26"],
      ["sorted by name", "select id from customers where true order by lower(last_name || ' ' || first_name), id limit 26"],
    ]) {
      const { rows: plan } = await node.pool.query(`explain ${sql}`);
      const indexes = [...new Set(plan.map((r) => String(r["QUERY PLAN"]).match(/(?:Index|Bitmap Index) (?:Only )?Scan (?:Backward )?(?:using|on) (\w+)/)?.[1]).filter(Boolean))];
      report(`Query plan, ${label}`, indexes.length ? `uses ${indexes.join(", ")}` : "NO INDEX (sequential scan)");
    }

    console.log("\n4. Job claim at 100,000 queued jobs");
    await node.pool.query(`insert into zoho_sync_queue (customer_id, action, scheduled_for)
      select id, 'create', now() - interval '1 minute' from customers where email like '%@scale.example'`);
    await node.pool.query("analyze zoho_sync_queue");
    neonConfig.webSocketConstructor = ws;
    const neon = openDb(stack.databaseUrl, stack.wsProxy);
    const { rows: ids } = await node.pool.query<{ id: string }>("select id from zoho_sync_queue order by random() limit 200");
    const claims: number[] = [];
    for (const { id } of ids) {
      const t0 = performance.now();
      const job = await claimJob(neon.db, id, "bench");
      claims.push(performance.now() - t0);
      if (!job) throw new Error("claim failed");
    }
    const sweeps: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      await dueJobs(neon.db, 10);
      sweeps.push(performance.now() - t0);
    }
    await neon.close();
    report("Job claim (Neon driver through the proxy)", p50p95(claims));
    report("Sweep's due-jobs query (10 of 100,000)", p50p95(sweeps));
    await node.close();

    console.log("\n5. Worker bundle");
    const out = path.join(tmp, "dry");
    await run("npx", ["wrangler", "deploy", "--dry-run", "--outdir", out], { quiet: true });
    const main = fs.readdirSync(out).find((f) => f.endsWith(".js"))!;
    const bytes = fs.readFileSync(path.join(out, main));
    report("Worker bundle (minified)", `${(bytes.length / 1024).toFixed(0)} KiB, ${(gzipSync(bytes).length / 1024).toFixed(0)} KiB gzip`);
  } finally {
    for (const w of workers) await w.stop();
    await stack.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  console.log(`\n| figure | value |\n|---|---|`);
  for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
  console.log(`\nMeasured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}.`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`bench failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
