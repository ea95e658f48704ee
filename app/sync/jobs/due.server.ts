// Job store verbs that find and make due the jobs to send: the sweep's due list (and the release's, which sends
// them all), the jobs due before the next sweep (timed messages), the count behind it, and the owner's email
// confirmation making their job due at once.
import { sql } from "drizzle-orm";
import { count, first, OWNER_VERIFIED, ts, type SqlRunner } from "./sql";

/**
 * Due jobs, by priority then time; skips ones already sent to the queue in the last 10 minutes, except
 * after an outage (`resend`), when messages sent during it were dropped by the paused consumer.
 */
export async function dueJobs(db: SqlRunner, limit: number, now = new Date(), opts: { resend?: boolean } = {}): Promise<string[]> {
  const sentBefore = opts.resend ? now : new Date(now.getTime() - 10 * 60_000);
  const result = await db.execute(sql`
    select id from zoho_sync_queue
    where processed_at is null and scheduled_for <= ${ts(now)} and ${OWNER_VERIFIED}
      and (locked_until is null or locked_until < ${ts(now)})
      and (enqueued_at is null or enqueued_at < ${ts(sentBefore)})
    order by priority desc, scheduled_for, created_at
    limit ${limit}`);
  return (result.rows as Array<{ id: string }>).map((r) => r.id);
}

/**
 * Open jobs due after `now` and by `until` with no queue message since their last run (a message sent for their
 * wait is timed for its end), earliest first: the sweep gives each a message timed for its turn.
 */
export async function upcomingJobs(db: SqlRunner, until: Date, limit: number, now = new Date()): Promise<Array<{ id: string; at: Date }>> {
  const result = await db.execute(sql`
    select id, scheduled_for from zoho_sync_queue
    where processed_at is null and scheduled_for > ${ts(now)} and scheduled_for <= ${ts(until)} and ${OWNER_VERIFIED}
      and locked_until is null and enqueued_at is null
    order by scheduled_for, priority desc
    limit ${limit}`);
  return (result.rows as Array<{ id: string; scheduled_for: string | Date }>).map((r) => ({ id: r.id, at: new Date(r.scheduled_for) }));
}

export async function countDueJobs(db: SqlRunner, now = new Date()): Promise<number> {
  return count(await db.execute(sql`select count(*)::int as n from zoho_sync_queue where processed_at is null and scheduled_for <= ${ts(now)} and ${OWNER_VERIFIED}`));
}

/** The open job of the customer behind `userId`, made due now (on email verification it runs at once). */
export async function makeUserJobDue(db: SqlRunner, userId: string, now = new Date()): Promise<string | null> {
  const result = await db.execute(sql`
    update zoho_sync_queue q set scheduled_for = least(q.scheduled_for, ${ts(now)})
    from customers c where c.id = q.customer_id and c.user_id = ${userId}::uuid and q.processed_at is null
    returning q.id`);
  return first<{ id: string }>(result)?.id ?? null;
}
