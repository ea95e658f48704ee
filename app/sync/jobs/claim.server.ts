// Job store verbs of a run's start: claim a due job with a lease (counting the attempt, as graphile-worker and
// pg-boss do), and record a create attempt before the Zoho call. A job whose worker dies mid-run has still
// spent its attempt; an expired lease on the last attempt ends the job (recover.server.ts).
import { sql } from "drizzle-orm";
import { MAX_ATTEMPTS } from "../backoff";
import type { SyncAction, SyncStatus } from "../vocabulary";
import { first, OWNER_VERIFIED, ts, type SqlRunner } from "./sql";

export const LEASE_MS = 2 * 60_000;

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

/**
 * Claims a due job for `worker` with a lease, counts the attempt, and marks its customer `syncing`, in
 * one statement (a profile update leaves the customer's sync status alone: it neither links nor unlinks). A second delivery, a parallel consumer or the cron get nothing while the lease holds.
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
      from claimed where customers.id = claimed.customer_id and claimed.action <> ${"update_contact" satisfies SyncAction}
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
export async function markCreateAttempted(db: SqlRunner, job: Pick<ClaimedJob, "id">, worker: string, now = new Date()) {
  await db.execute(sql`update zoho_sync_queue set create_attempted_at = ${ts(now)} where id = ${job.id}::uuid and locked_by = ${worker}`);
}
