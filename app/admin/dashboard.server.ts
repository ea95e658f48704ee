// The admin dashboard's numbers, each read from the same tables the sync engine writes.
import { desc, sql } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import { backfillRuns, cronRuns, SYNC_STATUSES, type SyncStatus } from "~/db/schema";
import { connectionView } from "~/zoho/connection.server";
import { dailyCap, ledgerHistory, shareUse } from "~/zoho/ledger.server";
import { retryAllPlan } from "~/sync/admin-actions.server";
import { syncEta } from "~/sync/eta.server";
import { jobCounts } from "~/sync/jobs/counts.server";
import { readOutage } from "~/sync/outage-store.server";
import { backfillProgress, countBackfillEligible } from "~/sync/backfill.server";
import { mirrorProgress } from "~/zoho/mirror/progress.server";
import { dashboardReconciliation } from "~/zoho/mirror/reconciliation.server";

export async function dashboard(app: AppServices) {
  const db = app.db;
  const [statusRows, jobs, history, [lastRun], connection, [lastBackfill], eta] = await Promise.all([
    // From the counter table the triggers keep: no full count of customers on every dashboard view.
    db.execute(sql`select zoho_sync_status as status, sum(n)::int as n from customer_status_counts group by 1`),
    jobCounts(db),
    ledgerHistory(db, 14, new Date(), app.env.ZOHO_DAY_TIMEZONE),
    db.select().from(cronRuns).orderBy(sql`${cronRuns.startedAt} desc nulls last`).limit(1),
    connectionView(app),
    db.select().from(backfillRuns).orderBy(desc(backfillRuns.startedAt)).limit(1),
    // The one ETA model (app/sync/eta.server.ts), the same "Retry all failed" shows.
    syncEta(app),
  ]);
  const counts = Object.fromEntries(SYNC_STATUSES.map((s) => [s, 0])) as Record<SyncStatus, number>;
  for (const row of statusRows.rows as Array<{ status: SyncStatus; n: number }>) counts[row.status] = Number(row.n);
  const today = history.at(-1)!;
  const syncShare = dailyCap("sync", app.env);
  const openJobs = eta.jobs;
  return {
    counts,
    total: Object.values(counts).reduce((a, b) => a + b, 0),
    jobs: { due: jobs.due, inFlight: jobs.inFlight, scheduled: jobs.scheduled },
    budget: {
      today,
      limit: app.env.ZOHO_DAILY_CALL_LIMIT,
      syncCap: syncShare,
      shares: shareUse(today, app.env),
      backlog: { openJobs, callsPerJob: eta.callsPerJob, calls: eta.calls, finishesAt: eta.finishesAt?.toISOString() ?? null, perMinute: app.env.ZOHO_CALLS_PER_MINUTE },
    },
    history,
    lastRun: lastRun ?? null,
    connection,
    backfill: lastBackfill ? await backfillProgress(db, lastBackfill) : null,
    backfillEligible: await countBackfillEligible(db),
    mirror: await mirrorProgress(db, app.env),
    reconciliation: await dashboardReconciliation(db, app.env),
    ...(await recovery(app, { jobs: openJobs, finishesAt: eta.finishesAt?.toISOString() ?? null, days: eta.days })),
  };
}

/** Outage state, the backlog's ETA (the one the budget box shows) and what "Retry all failed" would do, by the same model. */
async function recovery(app: AppServices, backlogEta: { jobs: number; finishesAt: string | null; days: number }) {
  const [outage, retryAll] = await Promise.all([readOutage(app.db), retryAllPlan(app)]);
  return {
    outage: { paused: outage.paused, since: outage.since?.toISOString() ?? null, lastError: outage.lastError, nextProbeAt: outage.nextProbeAt?.toISOString() ?? null },
    backlogEta,
    retryAllEta: {
      jobs: retryAll.total,
      today: Math.min(retryAll.total, retryAll.today),
      perDay: retryAll.perDay,
      unlinkedLeftOut: retryAll.unlinkedLeftOut,
      finishesAt: retryAll.eta.finishesAt?.toISOString() ?? null,
      days: retryAll.eta.days,
    },
  };
}
