// Backfill: customers who registered before automatic sync existed (or whose job was never created)
// get look-first jobs, spread over days so each day's share fits the sync budget. The sweep and the
// queue do the rest.
import type { AppServices } from "~/context.server";
import { backfillRuns } from "~/db/schema";
import { dailyCap } from "~/zoho/ledger.server";
import { sql } from "drizzle-orm";
import { backfillJobsDone, insertBackfillJobs } from "./jobs/backfill.server";
import type { SqlRunner } from "~/db/client.server";
import { CALLS_PER_JOB_RESERVED } from "./budget";
import { runSweep } from "./sweep.server";

export { countBackfillEligible } from "./jobs/backfill.server";

export async function startBackfill(app: AppServices, adminId: string) {
  const perDay = Math.max(1, Math.floor(dailyCap("sync", app.env) / CALLS_PER_JOB_RESERVED));
  const run = await app.db.transaction(async (tx) => {
    const [created] = await tx.insert(backfillRuns).values({ startedBy: adminId, startedAt: new Date() }).returning();
    const customerIds = await insertBackfillJobs(tx, perDay, created.startedAt);
    const total = customerIds.length;
    await tx.update(backfillRuns).set({ total, enqueued: total }).where(sql`${backfillRuns.id} = ${created.id}`);
    return { ...created, total, customerIds };
  });
  if (run.total > 0) await runSweep(app, "http");
  return { runId: run.id, total: run.total, perDay, customerIds: run.customerIds };
}

export async function backfillProgress(db: SqlRunner, run: typeof backfillRuns.$inferSelect) {
  const done = await backfillJobsDone(db, run.startedAt);
  return { startedAt: run.startedAt.toISOString(), total: run.total, done: Math.min(done, run.total) };
}
