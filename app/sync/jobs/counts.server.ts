// Job store verbs that read without changing anything: a customer's open job (the detail page, the admin
// actions' answers), the dashboard's counts, the queue's profile (how many jobs may start when) and the jobs
// finished today: what the backlog ETA (app/sync/backlog-eta.ts) reads.
import { sql } from "drizzle-orm";
import type { SyncAction } from "../vocabulary";
import { count, date, first, OWNER_VERIFIED, ts, type SqlRunner } from "./sql";

/** The customer's open sync job (a profile update, which may be open beside it, is shown with the update). */
export type OpenJob = { id: string; scheduledFor: Date; lockedUntil: Date | null; enqueuedAt: Date | null; attempts: number; lastError: string | null };

export async function openJobFor(db: SqlRunner, customerId: string): Promise<OpenJob | null> {
  const row = first<{ id: string; scheduled_for: string; locked_until: string | null; enqueued_at: string | null; attempts: number; last_error: string | null }>(
    await db.execute(sql`select id, scheduled_for, locked_until, enqueued_at, attempts, last_error
      from zoho_sync_queue where customer_id = ${customerId}::uuid and processed_at is null and action <> ${"update_contact" satisfies SyncAction}`),
  );
  if (!row) return null;
  return {
    id: row.id,
    scheduledFor: date(row.scheduled_for)!,
    lockedUntil: date(row.locked_until),
    enqueuedAt: date(row.enqueued_at),
    attempts: Number(row.attempts),
    lastError: row.last_error,
  };
}

export type JobCounts = { due: number; inFlight: number; scheduled: number; open: number; lastDue: Date | null };

/** The dashboard's view of the open jobs that can run (an unverified account's job waits for its owner). */
export async function jobCounts(db: SqlRunner, now = new Date()): Promise<JobCounts> {
  const row = first<{ due: number; in_flight: number; scheduled: number; open: number; last_due: string | Date | null }>(
    await db.execute(sql`select
      count(*) filter (where scheduled_for <= ${ts(now)} and (locked_until is null or locked_until < ${ts(now)}))::int as due,
      count(*) filter (where locked_until >= ${ts(now)})::int as in_flight,
      count(*) filter (where scheduled_for > ${ts(now)})::int as scheduled,
      count(*)::int as open, max(scheduled_for) as last_due
    from zoho_sync_queue where processed_at is null and ${OWNER_VERIFIED}`),
  )!;
  return { due: Number(row.due), inFlight: Number(row.in_flight), scheduled: Number(row.scheduled), open: Number(row.open), lastDue: date(row.last_due) };
}

/** Jobs finished this budget day (the dashboard's backlog ETA divides today's sync calls by it); zone: ZOHO_DAY_TIMEZONE. */
export async function jobsFinishedToday(db: SqlRunner, zone = "UTC"): Promise<number> {
  return count(await db.execute(sql`select count(*)::int as n from zoho_sync_queue where processed_at >= date_trunc('day', now() at time zone ${zone}) at time zone ${zone}`));
}

/**
 * The open jobs that can run, by when they may start: due ones now, later ones at their time rounded up to 10 s
 * (a pace line's slots are 1.5 s apart; the rounding keeps the profile short). The backlog ETA's queue.
 */
export async function queueProfile(db: SqlRunner, now = new Date()): Promise<Array<{ at: Date; jobs: number }>> {
  const result = await db.execute(sql`
    select at, count(*)::int as n from (
      select case when scheduled_for <= ${ts(now)} then ${ts(now)}
        else to_timestamp(ceil(extract(epoch from scheduled_for) / 10) * 10) end as at
      from zoho_sync_queue where processed_at is null and ${OWNER_VERIFIED}) open
    group by at order by at limit 50000`);
  return (result.rows as Array<{ at: string | Date; n: number }>).map((r) => ({ at: new Date(r.at), jobs: Number(r.n) }));
}
