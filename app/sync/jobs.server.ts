// Job rows in Postgres are the truth; these are the only statements that move them.
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "~/db/client.server";
import { customers, zohoSyncEvents, zohoSyncQueue, type SyncAction } from "~/db/schema";
import type { Transition } from "./outcome";

export const LEASE_MS = 2 * 60_000;

// A job runs only once its customer's account owner proved the email (or the customer has no
// account, e.g. one the shop entered): an unverified registration never costs a Zoho call.
const OWNER_VERIFIED = sql`not exists (select 1 from customers vc join users vu on vu.id = vc.user_id
  where vc.id = zoho_sync_queue.customer_id and vu.email_verified_at is null)`;

export type ClaimedJob = {
  id: string;
  customerId: string;
  action: SyncAction;
  attempts: number;
  createAttemptedAt: Date | null;
};

/**
 * Claims a due job for `worker` with a lease, and marks its customer `syncing`, in one statement.
 * A second delivery, a parallel consumer or the cron get nothing while the lease holds.
 */
export async function claimJob(db: DbOrTx, jobId: string, worker: string, now = new Date(), leaseMs = LEASE_MS): Promise<ClaimedJob | null> {
  const result = await db.execute(sql`
    with claimed as (
      update zoho_sync_queue set locked_until = ${new Date(now.getTime() + leaseMs).toISOString()}::timestamptz, locked_by = ${worker}
      where id = ${jobId} and processed_at is null and ${OWNER_VERIFIED}
        and scheduled_for <= ${new Date(now.getTime() + 5_000).toISOString()}::timestamptz
        and (locked_until is null or locked_until < ${now.toISOString()}::timestamptz)
      returning id, customer_id, action, attempts, create_attempted_at
    ), marked as (
      update customers set zoho_sync_status = 'syncing', updated_at = now()
      from claimed where customers.id = claimed.customer_id
      returning customers.id
    )
    select claimed.*, (select count(*) from marked) as marked from claimed`);
  const row = result.rows[0] as
    | { id: string; customer_id: string; action: SyncAction; attempts: number; create_attempted_at: string | Date | null }
    | undefined;
  if (!row) return null;
  return {
    id: row.id,
    customerId: row.customer_id,
    action: row.action,
    attempts: Number(row.attempts),
    createAttemptedAt: row.create_attempted_at ? new Date(row.create_attempted_at) : null,
  };
}

/** Recorded (and committed) just before a Zoho create, so a retry knows to look before creating again. */
export async function markCreateAttempted(db: DbOrTx, job: ClaimedJob, worker: string) {
  await db
    .update(zohoSyncQueue)
    .set({ createAttemptedAt: new Date() })
    .where(and(eq(zohoSyncQueue.id, job.id), eq(zohoSyncQueue.lockedBy, worker)));
}

/**
 * Stores a job's outcome on the job, the customer and the timeline in one transaction, only if this
 * worker still holds the lease (otherwise another run owns the job now and nothing is written).
 */
export async function storeOutcome(
  db: Db,
  job: ClaimedJob,
  worker: string,
  t: Transition,
  meta: { action: string; zohoCalls: number; durationMs: number; now: Date },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [owned] = await tx
      .update(zohoSyncQueue)
      .set({
        attempts: t.job.attempts,
        lastError: t.job.lastError,
        processedAt: t.job.done ? meta.now : null,
        scheduledFor: t.job.scheduledFor ?? sql`${zohoSyncQueue.scheduledFor}`,
        lockedUntil: null,
        lockedBy: null,
        enqueuedAt: null,
      })
      .where(and(eq(zohoSyncQueue.id, job.id), eq(zohoSyncQueue.lockedBy, worker), isNull(zohoSyncQueue.processedAt)))
      .returning({ id: zohoSyncQueue.id });
    if (!owned) return false;
    const c = t.customer;
    await tx
      .update(customers)
      .set({
        zohoSyncStatus: c.status,
        zohoSyncError: c.error,
        zohoSyncAttempts: c.attempts,
        zohoLastSyncAt: meta.now,
        updatedAt: meta.now,
        ...(c.candidates !== undefined ? { zohoSyncCandidates: c.candidates } : {}),
        ...(c.reviewReason !== undefined ? { zohoReviewReason: c.reviewReason } : {}),
        ...(c.contact
          ? {
              zohoContactId: c.contact.id,
              zohoContactName: c.contact.name,
              zohoMatchType: c.contact.matchType,
              zohoLinkedAt: meta.now,
              zohoLinkBasis: c.contact.basis,
              zohoContactEmail: c.contact.email,
            }
          : {}),
      })
      .where(eq(customers.id, job.customerId));
    await tx.insert(zohoSyncEvents).values({
      customerId: job.customerId,
      jobId: job.id,
      at: meta.now,
      action: meta.action,
      outcome: t.event.outcome,
      matchType: t.event.matchType ?? null,
      zohoCalls: meta.zohoCalls,
      error: t.event.error,
      durationMs: meta.durationMs,
      details: c.contact
        ? { contactId: c.contact.id, contactName: c.contact.name, basis: c.contact.basis }
        : c.reviewReason
          ? { reviewReason: c.reviewReason }
          : null,
    });
    return true;
  });
}

export async function markEnqueued(db: DbOrTx, jobIds: string[], now = new Date()) {
  if (jobIds.length === 0) return;
  await db.execute(sql`update zoho_sync_queue set enqueued_at = ${now.toISOString()}::timestamptz
    where id in (${sql.join(jobIds.map((id) => sql`${id}::uuid`), sql`, `)})`);
}

/** Expired leases: a consumer died mid-job. The job becomes due again; its customer goes back to pending. */
export async function recoverExpiredLeases(db: DbOrTx, now = new Date()): Promise<number> {
  const result = await db.execute(sql`
    with freed as (
      update zoho_sync_queue set locked_until = null, locked_by = null, enqueued_at = null
      where processed_at is null and locked_until < ${now.toISOString()}::timestamptz
      returning id, customer_id
    ), customers_reset as (
      update customers set zoho_sync_status = 'pending', updated_at = now()
      from freed where customers.id = freed.customer_id and customers.zoho_sync_status = 'syncing'
      returning customers.id
    ), logged as (
      insert into zoho_sync_events (customer_id, job_id, action, outcome, error)
      select customer_id, id, 'recover', 'lease_expired', 'A sync worker stopped before finishing; the job was put back in line'
      from freed returning id
    )
    select count(*)::int as n from freed`);
  return Number((result.rows[0] as { n: number }).n);
}

/** Due jobs, by priority then time; skips ones already sent to the queue in the last 10 minutes. */
export async function dueJobs(db: DbOrTx, limit: number, now = new Date()): Promise<string[]> {
  const result = await db.execute(sql`
    select id from zoho_sync_queue
    where processed_at is null and scheduled_for <= ${now.toISOString()}::timestamptz and ${OWNER_VERIFIED}
      and (locked_until is null or locked_until < ${now.toISOString()}::timestamptz)
      and (enqueued_at is null or enqueued_at < ${new Date(now.getTime() - 10 * 60_000).toISOString()}::timestamptz)
    order by priority desc, scheduled_for, created_at
    limit ${limit}`);
  return (result.rows as Array<{ id: string }>).map((r) => r.id);
}

export async function countDueJobs(db: DbOrTx, now = new Date()): Promise<number> {
  const result = await db.execute(sql`select count(*)::int as n from zoho_sync_queue
    where processed_at is null and scheduled_for <= ${now.toISOString()}::timestamptz and ${OWNER_VERIFIED}`);
  return Number((result.rows[0] as { n: number }).n);
}

/** The open job of the customer behind `userId`, made due now (on email verification it runs at once). */
export async function makeUserJobDue(db: DbOrTx, userId: string, now = new Date()): Promise<string | null> {
  const result = await db.execute(sql`
    update zoho_sync_queue q set scheduled_for = least(q.scheduled_for, ${now.toISOString()}::timestamptz)
    from customers c where c.id = q.customer_id and c.user_id = ${userId} and q.processed_at is null
    returning q.id`);
  return (result.rows[0] as { id: string } | undefined)?.id ?? null;
}
