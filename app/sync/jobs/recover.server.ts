// Job store verbs that put jobs back in line: expired leases (a consumer died mid-run), and the attempts an
// outage spent before it was recognised (app/sync/outage-store.server.ts gives them back).
import { sql } from "drizzle-orm";
import { MAX_ATTEMPTS } from "../backoff";
import { OUTAGE_WAIT_MESSAGE } from "../outage";
import { OUTCOMES, type SyncAction, type SyncStatus } from "../vocabulary";
import { ts, uuids, type SqlRunner } from "./sql";

export const WORKER_STOPPED_MESSAGE = `The sync worker stopped ${MAX_ATTEMPTS} times on this customer; an admin should look at it before retrying`;

/** failed: customers whose sync job ended; failedUpdates: customers whose profile update job ended (their sync did not fail). */
export type LeaseRecovery = { recovered: number; failed: string[]; failedUpdates: string[] };

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
      returning q.id, q.customer_id, e.exhausted, q.action
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
    select id, customer_id, exhausted, action from freed`);
  const rows = result.rows as Array<{ id: string; customer_id: string; exhausted: boolean; action: SyncAction }>;
  const ended = rows.filter((r) => r.exhausted);
  return {
    recovered: rows.length,
    failed: ended.filter((r) => r.action !== "update_contact").map((r) => r.customer_id),
    failedUpdates: ended.filter((r) => r.action === "update_contact").map((r) => r.customer_id),
  };
}

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
