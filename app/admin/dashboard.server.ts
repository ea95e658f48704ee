// The admin dashboard's numbers, each read from the same tables the sync engine writes.
import { desc, sql } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import { backfillRuns, cronRuns, SYNC_STATUSES, type SyncStatus } from "~/db/schema";
import { connectionView } from "~/zoho/connection.server";
import { dailyCap, ledgerHistory, shareUse } from "~/zoho/ledger.server";
import { backfillProgress, countBackfillEligible } from "~/sync/backfill.server";

export async function dashboard(app: AppServices) {
  const db = app.db;
  const [statusRows, jobRows, history, [lastRun], connection, [lastBackfill]] = await Promise.all([
    // From the counter table the triggers keep: no full count of customers on every dashboard view.
    db.execute(sql`select zoho_sync_status as status, sum(n)::int as n from customer_status_counts group by 1`),
    db.execute(sql`select
        count(*) filter (where scheduled_for <= now() and (locked_until is null or locked_until < now()))::int as due,
        count(*) filter (where locked_until >= now())::int as in_flight,
        count(*) filter (where scheduled_for > now())::int as scheduled
      from zoho_sync_queue where processed_at is null`),
    ledgerHistory(db, 14),
    db.select().from(cronRuns).orderBy(sql`${cronRuns.startedAt} desc nulls last`).limit(1),
    connectionView(app),
    db.select().from(backfillRuns).orderBy(desc(backfillRuns.startedAt)).limit(1),
  ]);
  const counts = Object.fromEntries(SYNC_STATUSES.map((s) => [s, 0])) as Record<SyncStatus, number>;
  for (const row of statusRows.rows as Array<{ status: SyncStatus; n: number }>) counts[row.status] = Number(row.n);
  const jobs = jobRows.rows[0] as { due: number; in_flight: number; scheduled: number };
  return {
    counts,
    total: Object.values(counts).reduce((a, b) => a + b, 0),
    jobs: { due: Number(jobs.due), inFlight: Number(jobs.in_flight), scheduled: Number(jobs.scheduled) },
    budget: {
      today: history.at(-1)!,
      limit: app.env.ZOHO_DAILY_CALL_LIMIT,
      syncCap: dailyCap("sync", app.env),
      shares: shareUse(history.at(-1)!, app.env),
    },
    history,
    lastRun: lastRun ?? null,
    connection,
    backfill: lastBackfill ? await backfillProgress(db, lastBackfill) : null,
    backfillEligible: await countBackfillEligible(db),
  };
}
