// The admin dashboard's numbers, each read from the same tables the sync engine writes.
import { desc, sql } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import { backfillRuns, cronRuns, SYNC_STATUSES, type SyncStatus } from "~/db/schema";
import { connectionView } from "~/zoho/connection.server";
import { dailyCap, ledgerHistory } from "~/zoho/ledger.server";
import { backfillProgress, countBackfillEligible } from "~/sync/backfill.server";
import { estimateBacklog } from "~/sync/admin-actions.server";
import { jobCounts } from "~/sync/jobs.server";
import { readOutage } from "~/sync/outage-store.server";

export async function dashboard(app: AppServices) {
  const db = app.db;
  const [statusRows, jobs, history, [lastRun], connection, [lastBackfill]] = await Promise.all([
    db.execute(sql`select zoho_sync_status as status, count(*)::int as n from customers group by 1`),
    jobCounts(db),
    ledgerHistory(db, 14),
    db.select().from(cronRuns).orderBy(sql`${cronRuns.startedAt} desc nulls last`).limit(1),
    connectionView(app),
    db.select().from(backfillRuns).orderBy(desc(backfillRuns.startedAt)).limit(1),
  ]);
  const counts = Object.fromEntries(SYNC_STATUSES.map((s) => [s, 0])) as Record<SyncStatus, number>;
  for (const row of statusRows.rows as Array<{ status: SyncStatus; n: number }>) counts[row.status] = Number(row.n);
  return {
    counts,
    total: Object.values(counts).reduce((a, b) => a + b, 0),
    jobs,
    budget: {
      today: history.at(-1)!,
      limit: app.env.ZOHO_DAILY_CALL_LIMIT,
      syncCap: dailyCap("sync", app.env),
    },
    history,
    lastRun: lastRun ?? null,
    connection,
    backfill: lastBackfill ? await backfillProgress(db, lastBackfill) : null,
    backfillEligible: await countBackfillEligible(db),
    ...(await recovery(app, jobs.open, counts.failed)),
  };
}

/** Outage state, the backlog's ETA and what "Retry all failed" would take, at the budget's maximum rate. */
async function recovery(app: AppServices, openJobs: number, failed: number) {
  const outage = await readOutage(app.db);
  const [backlog, retryAll] = await Promise.all([estimateBacklog(app, openJobs), estimateBacklog(app, failed)]);
  return {
    outage: { paused: outage.paused, since: outage.since?.toISOString() ?? null, lastError: outage.lastError, nextProbeAt: outage.nextProbeAt?.toISOString() ?? null },
    backlogEta: { jobs: openJobs, finishesAt: backlog.finishesAt?.toISOString() ?? null, days: backlog.days, perDay: backlog.perDay },
    retryAllEta: { jobs: failed, finishesAt: retryAll.finishesAt?.toISOString() ?? null, days: retryAll.days },
  };
}
