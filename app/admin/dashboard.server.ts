// The admin dashboard's numbers, each read from the same tables the sync engine writes.
import { desc, sql } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import { backfillRuns, cronRuns, SYNC_STATUSES, type SyncStatus } from "~/db/schema";
import { connectionView } from "~/zoho/connection.server";
import { dailyCap, ledgerHistory, shareUse } from "~/zoho/ledger.server";
import { backlogEta } from "~/sync/backlog-eta";
import { backfillProgress, countBackfillEligible } from "~/sync/backfill.server";

export async function dashboard(app: AppServices) {
  const db = app.db;
  const [statusRows, jobRows, history, [lastRun], connection, [lastBackfill], finishedRows] = await Promise.all([
    // From the counter table the triggers keep: no full count of customers on every dashboard view.
    db.execute(sql`select zoho_sync_status as status, sum(n)::int as n from customer_status_counts group by 1`),
    db.execute(sql`select
        count(*) filter (where scheduled_for <= now() and (locked_until is null or locked_until < now()))::int as due,
        count(*) filter (where locked_until >= now())::int as in_flight,
        count(*) filter (where scheduled_for > now())::int as scheduled,
        max(scheduled_for) as last_due
      from zoho_sync_queue where processed_at is null`),
    ledgerHistory(db, 14),
    db.select().from(cronRuns).orderBy(sql`${cronRuns.startedAt} desc nulls last`).limit(1),
    connectionView(app),
    db.select().from(backfillRuns).orderBy(desc(backfillRuns.startedAt)).limit(1),
    // Jobs finished this UTC day: with the ledger's sync calls today, the backlog ETA's unit of work. It
    // includes the calls of attempts that ended waiting (paced out after a first call), which a busy day has.
    db.execute(sql`select count(*)::int as n from zoho_sync_queue where processed_at >= date_trunc('day', now() at time zone 'UTC') at time zone 'UTC'`),
  ]);
  const counts = Object.fromEntries(SYNC_STATUSES.map((s) => [s, 0])) as Record<SyncStatus, number>;
  for (const row of statusRows.rows as Array<{ status: SyncStatus; n: number }>) counts[row.status] = Number(row.n);
  const jobs = jobRows.rows[0] as { due: number; in_flight: number; scheduled: number; last_due: string | Date | null };
  const today = history.at(-1)!;
  const syncShare = dailyCap("sync", app.env);
  const openJobs = Number(jobs.due) + Number(jobs.in_flight) + Number(jobs.scheduled);
  const finishedToday = Number((finishedRows.rows[0] as { n: number } | undefined)?.n ?? 0);
  const callsPerJob = finishedToday > 0 && today.sync > 0 ? today.sync / finishedToday : 1;
  const eta = backlogEta({
    openJobs,
    callsPerJob,
    perMinute: app.env.ZOHO_CALLS_PER_MINUTE,
    remainingToday: Math.max(0, Math.min(syncShare - today.sync, app.env.ZOHO_DAILY_CALL_LIMIT - today.total)),
    dailyShare: syncShare,
    lastDueAt: jobs.last_due ? new Date(jobs.last_due) : null,
    now: new Date(),
  });
  return {
    counts,
    total: Object.values(counts).reduce((a, b) => a + b, 0),
    jobs: { due: Number(jobs.due), inFlight: Number(jobs.in_flight), scheduled: Number(jobs.scheduled) },
    budget: {
      today,
      limit: app.env.ZOHO_DAILY_CALL_LIMIT,
      syncCap: syncShare,
      shares: shareUse(today, app.env),
      backlog: { openJobs, callsPerJob, calls: eta.calls, finishesAt: eta.finishesAt?.toISOString() ?? null, perMinute: app.env.ZOHO_CALLS_PER_MINUTE },
    },
    history,
    lastRun: lastRun ?? null,
    connection,
    backfill: lastBackfill ? await backfillProgress(db, lastBackfill) : null,
    backfillEligible: await countBackfillEligible(db),
  };
}
