// Job store verbs of a job's end: the job's side of a run's outcome, written only if this worker still holds
// the lease (the settle phase, app/sync/run/settle.server.ts, calls it first inside its transaction and
// writes the customer and the timeline only when it returns true: otherwise another run owns the job now);
// or the open job closed without a run (an admin linked the customer by hand).
import { sql } from "drizzle-orm";
import type { Transition } from "../outcome";
import type { SyncAction } from "../vocabulary";
import type { ClaimedJob } from "./claim.server";
import { ts, type SqlRunner } from "./sql";

export async function storeJobOutcome(db: SqlRunner, job: Pick<ClaimedJob, "id">, worker: string, t: Transition, now: Date): Promise<boolean> {
  const owned = await db.execute(sql`
    update zoho_sync_queue set attempts = ${t.job.attempts}, last_error = ${t.job.lastError},
      processed_at = ${t.job.done ? ts(now) : null},
      scheduled_for = ${t.job.scheduledFor ? ts(t.job.scheduledFor) : sql`scheduled_for`},
      pace_slot = ${t.job.inLine && t.job.scheduledFor ? ts(t.job.scheduledFor) : null},
      locked_until = null, locked_by = null, enqueued_at = null
    where id = ${job.id}::uuid and locked_by = ${worker} and processed_at is null
    returning id`);
  return owned.rows.length > 0;
}

/** Closes a customer's open job without running it (manual link, for instance); a profile update stays (it checks the link when it runs). */
export async function closeOpenJob(db: SqlRunner, customerId: string, reason: string, now = new Date()) {
  await db.execute(sql`
    update zoho_sync_queue set processed_at = ${ts(now)}, last_error = ${reason}, locked_until = null, locked_by = null
    where customer_id = ${customerId}::uuid and processed_at is null and action <> ${"update_contact" satisfies SyncAction}`);
}
