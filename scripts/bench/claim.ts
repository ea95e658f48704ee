// The claim and the sweep's due-jobs query at 100,000 queued jobs, through the production driver (Neon over
// the WebSocket proxy): the two statements every job and every sweep run.
import { neonConfig } from "@neondatabase/serverless";
import ws from "ws";
import { openDb } from "~/db/client.server";
import { claimJob } from "~/sync/jobs/claim.server";
import { dueJobs } from "~/sync/jobs/due.server";
import { randomJobIds, seedDueJobs } from "~/sync/jobs/tooling.server";
import type { openNodeDb } from "@tools/local-stack/node-db";
import { quantile } from "./registration";

type Node = ReturnType<typeof openNodeDb>;
type Report = (name: string, value: string) => void;

const ms = (v: number) => `${v.toFixed(1)} ms`;
const p50p95 = (v: number[]) => `p50 ${ms(quantile(v, 0.5))}, p95 ${ms(quantile(v, 0.95))}`;

/** `jobs` queued (default 100,000), `claims` timed (default 200). */
export async function benchJobClaim(d: { node: Node; stack: { databaseUrl: string; wsProxy: string }; report: Report; jobs?: number; claims?: number }) {
  const { node, stack, report } = d;
  const jobs = d.jobs ?? 100_000;
  const label = jobs.toLocaleString("en-US");
  console.log(`\n4. Job claim at ${label} queued jobs`);
  const { seedCustomers } = await import("./list");
  await seedCustomers({ pool: node.pool, log: (l) => console.log(`  ${l}`) }, jobs);
  await seedDueJobs(node.db, "%@scale.example", jobs);
  neonConfig.webSocketConstructor = ws;
  const neon = openDb(stack.databaseUrl, stack.wsProxy);
  const ids = await randomJobIds(node.db, "%@scale.example", d.claims ?? 200);
  const claims: number[] = [];
  for (const id of ids) {
    const t0 = performance.now();
    const job = await claimJob(neon.db, id, "bench");
    claims.push(performance.now() - t0);
    if (!job) throw new Error(`claim of open job ${id} returned nothing`);
  }
  const sweeps: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    await dueJobs(neon.db, 10);
    sweeps.push(performance.now() - t0);
  }
  await neon.close();
  report(`Job claim at ${label} queued jobs (Neon driver through the proxy)`, p50p95(claims));
  report(`Sweep's due-jobs query (10 of ${label})`, p50p95(sweeps));
}
