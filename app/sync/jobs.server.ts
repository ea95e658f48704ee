// The job store: every statement that reads or writes zoho_sync_queue lives here (docs/decisions/018-job-store.md).
// Raw SQL with typed row mappers; status, action and outcome names are always parameters from the vocabulary.
// Attempts are counted when a job is claimed (as graphile-worker and pg-boss do), so a job whose worker
// dies mid-run has still spent its attempt, and an expired lease on the last attempt ends the job.
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { customers, zohoSyncEvents } from "~/db/schema";
import { MAX_ATTEMPTS } from "./backoff";
import type { Transition } from "./outcome";
import { OUTAGE_WAIT_MESSAGE } from "./outage";
import { OUTCOMES, type SyncAction, type SyncStatus } from "./vocabulary";

/** Anything that runs SQL: the Worker's Neon drizzle, a transaction, or the scripts' node-postgres drizzle. */
export type SqlRunner = { execute(query: SQL): Promise<{ rows: unknown[] }> };

export const LEASE_MS = 2 * 60_000;

// A job runs only once its customer's account owner proved the email (or the customer has no
// account, e.g. one the shop entered): an unverified registration never costs a Zoho call.
const OWNER_VERIFIED = sql`not exists (select 1 from customers vc join users vu on vu.id = vc.user_id
  where vc.id = zoho_sync_queue.customer_id and vu.email_verified_at is null)`;
export const WORKER_STOPPED_MESSAGE = `The sync worker stopped ${MAX_ATTEMPTS} times on this customer; an admin should look at it before retrying`;

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const date = (v: unknown) => (v == null ? null : v instanceof Date ? v : new Date(v as string));
const uuids = (ids: string[]) => sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);
const first = <T>(r: { rows: unknown[] }) => r.rows[0] as T | undefined;
const count = (r: { rows: unknown[] }) => Number((r.rows[0] as { n: number | string } | undefined)?.n ?? 0);

export type ClaimedJob = {
  id: string;
  customerId: string;
  action: SyncAction;
  /** Attempts including this one (counted at claim). */
  attempts: number;
  /** A Zoho create was attempted for this customer by any job, ever: look before creating again. */
  createEverAttempted: boolean;
  /** The job's slot in the pace line, when its last run was turned away by the pace. */
  paceSlot: Date | null;
  /** Above 0: an admin asked for it (retry); below 0: a deferred check. */
  priority: number;
};

type JobRow = { id: string; customer_id: string; action: SyncAction; attempts: number | string; create_ever_attempted: boolean; pace_slot: string | Date | null; priority: number | string };
const toClaimed = (r: JobRow): ClaimedJob => ({
  id: r.id,
  customerId: r.customer_id,
  action: r.action,
  attempts: Number(r.attempts),
  createEverAttempted: !!r.create_ever_attempted,
  paceSlot: r.pace_slot ? new Date(r.pace_slot) : null,
  priority: Number(r.priority),
});

export type NewJob = { customerId: string; action: SyncAction; priority?: number; scheduledFor?: Date };

/** Opens a customer's job (there is at most one open job per customer: a unique index holds it). */
export async function insertJob(db: SqlRunner, job: NewJob): Promise<string> {
  const r = await db.execute(sql`
    insert into zoho_sync_queue (customer_id, action, priority, scheduled_for)
    values (${job.customerId}::uuid, ${job.action}, ${job.priority ?? 0}, ${ts(job.scheduledFor ?? new Date())})
    returning id`);
  return first<{ id: string }>(r)!.id;
}

/**
 * An admin's retry/reset: reuses the open job (fresh attempts, due now, at `priority`, out of the pace line) or
 * opens a new one.
 * Whether a create was attempted before is kept on the old jobs, so the next run still looks first.
 */
export async function reopenOrInsertJob(db: SqlRunner, job: Required<Pick<NewJob, "customerId" | "action" | "priority">> & Pick<NewJob, "scheduledFor">): Promise<string> {
  const reopened = await db.execute(sql`
    update zoho_sync_queue set action = ${job.action}, priority = ${job.priority}, attempts = 0, last_error = null,
      scheduled_for = ${ts(job.scheduledFor ?? new Date())}, enqueued_at = null, pace_slot = null
    where customer_id = ${job.customerId}::uuid and processed_at is null
    returning id`);
  return first<{ id: string }>(reopened)?.id ?? insertJob(db, job);
}

/** Closes a customer's open job without running it (manual link, for instance). */
export async function closeOpenJob(db: SqlRunner, customerId: string, reason: string, now = new Date()) {
  await db.execute(sql`
    update zoho_sync_queue set processed_at = ${ts(now)}, last_error = ${reason}, locked_until = null, locked_by = null
    where customer_id = ${customerId}::uuid and processed_at is null`);
}

export type OpenJob = { id: string; scheduledFor: Date; lockedUntil: Date | null; enqueuedAt: Date | null; attempts: number; lastError: string | null };

export async function openJobFor(db: SqlRunner, customerId: string): Promise<OpenJob | null> {
  const row = first<{ id: string; scheduled_for: string; locked_until: string | null; enqueued_at: string | null; attempts: number; last_error: string | null }>(
    await db.execute(sql`select id, scheduled_for, locked_until, enqueued_at, attempts, last_error
      from zoho_sync_queue where customer_id = ${customerId}::uuid and processed_at is null`),
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

/**
 * Claims a due job for `worker` with a lease, counts the attempt, and marks its customer `syncing`, in
 * one statement. A second delivery, a parallel consumer or the cron get nothing while the lease holds.
 */
export async function claimJob(db: SqlRunner, jobId: string, worker: string, now = new Date(), leaseMs = LEASE_MS): Promise<ClaimedJob | null> {
  const result = await db.execute(sql`
    with claimed as (
      update zoho_sync_queue set locked_until = ${ts(new Date(now.getTime() + leaseMs))}, locked_by = ${worker}, attempts = attempts + 1
      where id = ${jobId}::uuid and processed_at is null and attempts < ${MAX_ATTEMPTS} and ${OWNER_VERIFIED}
        and scheduled_for <= ${ts(new Date(now.getTime() + 5_000))}
        and (locked_until is null or locked_until < ${ts(now)})
      returning id, customer_id, action, attempts, pace_slot, priority
    ), marked as (
      update customers set zoho_sync_status = ${"syncing" satisfies SyncStatus}, updated_at = now()
      from claimed where customers.id = claimed.customer_id
      returning customers.id
    )
    select claimed.*, (select count(*) from marked) as marked,
      exists (select 1 from zoho_sync_queue past where past.customer_id = claimed.customer_id and past.create_attempted_at is not null)
        as create_ever_attempted
    from claimed`);
  const row = first<JobRow>(result);
  return row ? toClaimed(row) : null;
}

/** Recorded (and committed) just before a Zoho create, so every later job knows to look before creating. */
export async function markCreateAttempted(db: SqlRunner, job: ClaimedJob, worker: string, now = new Date()) {
  await db.execute(sql`update zoho_sync_queue set create_attempted_at = ${ts(now)} where id = ${job.id}::uuid and locked_by = ${worker}`);
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
    const owned = await tx.execute(sql`
      update zoho_sync_queue set attempts = ${t.job.attempts}, last_error = ${t.job.lastError},
        processed_at = ${t.job.done ? ts(meta.now) : null},
        scheduled_for = ${t.job.scheduledFor ? ts(t.job.scheduledFor) : sql`scheduled_for`},
        pace_slot = ${t.job.inLine && t.job.scheduledFor ? ts(t.job.scheduledFor) : null},
        locked_until = null, locked_by = null, enqueued_at = null
      where id = ${job.id}::uuid and locked_by = ${worker} and processed_at is null
      returning id`);
    if (owned.rows.length === 0) return false;
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
      .where(sql`${customers.id} = ${job.customerId}`);
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

export async function markEnqueued(db: SqlRunner, jobIds: string[], now = new Date()) {
  if (jobIds.length === 0) return;
  await db.execute(sql`update zoho_sync_queue set enqueued_at = ${ts(now)} where id in (${uuids(jobIds)})`);
}

export type LeaseRecovery = { recovered: number; failed: string[] };

/**
 * Expired leases: a consumer died mid-job, and its attempt was counted at claim. A job with attempts left
 * becomes due again (customer back to pending); one that has used all its attempts ends, and its customer
 * is `failed` with the reason: a job that crashes the worker every time stops after MAX_ATTEMPTS.
 */
export async function recoverExpiredLeases(db: SqlRunner, now = new Date()): Promise<LeaseRecovery> {
  const result = await db.execute(sql`
    with expired as (
      select id, customer_id, attempts >= ${MAX_ATTEMPTS} as exhausted from zoho_sync_queue
      where processed_at is null and locked_until < ${ts(now)}
      for update skip locked
    ), freed as (
      update zoho_sync_queue q set locked_until = null, locked_by = null, enqueued_at = null,
        processed_at = case when e.exhausted then ${ts(now)} else null end,
        last_error = case when e.exhausted then ${WORKER_STOPPED_MESSAGE} else q.last_error end
      from expired e where q.id = e.id
      returning q.id, q.customer_id, e.exhausted
    ), customers_reset as (
      update customers c set
        zoho_sync_status = case when f.exhausted then ${"failed" satisfies SyncStatus} else ${"pending" satisfies SyncStatus} end,
        zoho_sync_error = case when f.exhausted then ${WORKER_STOPPED_MESSAGE} else c.zoho_sync_error end,
        zoho_sync_attempts = greatest(c.zoho_sync_attempts, ${MAX_ATTEMPTS} * f.exhausted::int), updated_at = now()
      from freed f where c.id = f.customer_id and c.zoho_sync_status = ${"syncing" satisfies SyncStatus}
      returning c.id
    ), logged as (
      insert into zoho_sync_events (customer_id, job_id, action, outcome, error)
      select customer_id, id, ${"recover"},
        case when exhausted then ${OUTCOMES.failed} else ${OUTCOMES.leaseExpired} end,
        case when exhausted then ${WORKER_STOPPED_MESSAGE} else ${"A sync worker stopped before finishing; the job was put back in line"} end
      from freed returning id
    )
    select id, customer_id, exhausted from freed`);
  const rows = result.rows as Array<{ id: string; customer_id: string; exhausted: boolean }>;
  return { recovered: rows.length, failed: rows.filter((r) => r.exhausted).map((r) => r.customer_id) };
}

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

export async function countDueJobs(db: SqlRunner, now = new Date()): Promise<number> {
  return count(await db.execute(sql`select count(*)::int as n from zoho_sync_queue where processed_at is null and scheduled_for <= ${ts(now)} and ${OWNER_VERIFIED}`));
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

/** Jobs finished this UTC day (the dashboard's backlog ETA divides today's sync calls by it). */
export async function jobsFinishedToday(db: SqlRunner): Promise<number> {
  return count(await db.execute(sql`select count(*)::int as n from zoho_sync_queue where processed_at >= date_trunc('day', now() at time zone 'UTC') at time zone 'UTC'`));
}

/** The open job of the customer behind `userId`, made due now (on email verification it runs at once). */
export async function makeUserJobDue(db: SqlRunner, userId: string, now = new Date()): Promise<string | null> {
  const result = await db.execute(sql`
    update zoho_sync_queue q set scheduled_for = least(q.scheduled_for, ${ts(now)})
    from customers c where c.id = q.customer_id and c.user_id = ${userId}::uuid and q.processed_at is null
    returning q.id`);
  return first<{ id: string }>(result)?.id ?? null;
}

// --- Backfill: customers who never had a job -------------------------------------------------------

// Unverified accounts are left out (no Zoho call before the email is proven); once verified, a later
// backfill picks an old account without a job up.
const backfillEligible = sql`c.zoho_contact_id is null and c.zoho_sync_status = ${"pending" satisfies SyncStatus}
  and not exists (select 1 from zoho_sync_queue q where q.customer_id = c.id)
  and not exists (select 1 from users u where u.id = c.user_id and u.email_verified_at is null)`;

export async function countBackfillEligible(db: SqlRunner) {
  return count(await db.execute(sql`select count(*)::int as n from customers c where ${backfillEligible}`));
}

/**
 * Opens a look-first job for every eligible customer, `perDay` per day (all created_at = `startedAt`, which
 * identifies the run). Returning customers only match; the others match first and create only when nothing does.
 */
export async function insertBackfillJobs(db: SqlRunner, perDay: number, startedAt: Date): Promise<number> {
  const result = await db.execute(sql`
    insert into zoho_sync_queue (customer_id, action, scheduled_for, created_at)
    select id, case when is_returning_customer then ${"match" satisfies SyncAction} else ${"match_or_create" satisfies SyncAction} end,
      ${ts(startedAt)} + ((rn - 1) / ${perDay}) * interval '1 day', ${ts(startedAt)}
    from (select c.id, c.is_returning_customer, row_number() over (order by c.created_at, c.id) as rn
          from customers c where ${backfillEligible}) eligible
    returning id`);
  return result.rows.length;
}

export async function backfillJobsDone(db: SqlRunner, startedAt: Date): Promise<number> {
  return count(
    await db.execute(sql`select count(*) filter (where processed_at is not null)::int as n from zoho_sync_queue where created_at = ${ts(startedAt)}`),
  );
}

// --- Outages -------------------------------------------------------------------------------------

/**
 * Gives back one attempt to each job that failed because Zoho was down (outage-store.server.ts calls this
 * when it recognises an incident). A job that ended `failed` on such a failure is reopened; all become due
 * now, and the sweep sends them once sync resumes.
 */
export async function refundAttempts(db: SqlRunner, jobIds: string[], now = new Date()) {
  if (jobIds.length === 0) return;
  await db.execute(sql`
    with refunded as (
      update zoho_sync_queue q set attempts = greatest(q.attempts - 1, 0), scheduled_for = ${ts(now)}, processed_at = null,
        last_error = ${OUTAGE_WAIT_MESSAGE}, enqueued_at = null
      where q.id in (${uuids(jobIds)}) and q.locked_by is null
        and (q.processed_at is null or (
          exists (select 1 from customers c where c.id = q.customer_id and c.zoho_sync_status = ${"failed" satisfies SyncStatus})
          and not exists (select 1 from zoho_sync_queue o where o.customer_id = q.customer_id and o.processed_at is null)))
      returning q.customer_id, q.attempts
    )
    update customers c set zoho_sync_status = ${"pending" satisfies SyncStatus}, zoho_sync_error = ${OUTAGE_WAIT_MESSAGE},
      zoho_sync_attempts = r.attempts, zoho_failure_notified_at = null, updated_at = now()
    from refunded r where c.id = r.customer_id and c.zoho_sync_status in (${"pending" satisfies SyncStatus}, ${"failed" satisfies SyncStatus})`);
}
