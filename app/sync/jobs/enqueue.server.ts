// Job store verbs that put a job in line: open a customer's job (registration, admin retry/reset, follow-up
// checks; there is at most one open job per customer, a unique index holds it), and mark that a queue
// message for it went out (app/sync/send.server.ts).
import { sql } from "drizzle-orm";
import type { SyncAction } from "../vocabulary";
import { first, ts, uuids, type SqlRunner } from "./sql";

const UPDATE = "update_contact" satisfies SyncAction;

export type NewJob = { customerId: string; action: SyncAction; priority?: number; scheduledFor?: Date };

/** Opens a customer's job. */
export async function insertJob(db: SqlRunner, job: NewJob): Promise<string> {
  const r = await db.execute(sql`
    insert into zoho_sync_queue (customer_id, action, priority, scheduled_for)
    values (${job.customerId}::uuid, ${job.action}, ${job.priority ?? 0}, ${ts(job.scheduledFor ?? new Date())})
    returning id`);
  return first<{ id: string }>(r)!.id;
}

/**
 * A linked customer's profile update (app/sync/profile-updates.server.ts): one open update job per customer, beside
 * any other open job (a unique index each). Edits made while one is open coalesce into it (the job reads the latest
 * edit when it runs): the open job is made due now and its id returned; else a new one is opened.
 */
export async function openUpdateJob(db: SqlRunner, customerId: string, now = new Date()): Promise<string> {
  const open = await db.execute(sql`
    update zoho_sync_queue set scheduled_for = least(scheduled_for, ${ts(now)})
    where customer_id = ${customerId}::uuid and processed_at is null and action = ${UPDATE}
    returning id`);
  return first<{ id: string }>(open)?.id ?? insertJob(db, { customerId, action: UPDATE, scheduledFor: now });
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
    where customer_id = ${job.customerId}::uuid and processed_at is null and action <> ${UPDATE}
    returning id`);
  return first<{ id: string }>(reopened)?.id ?? insertJob(db, job);
}

/** Messages for these jobs went to the queue (the sweep does not send them again for 10 minutes). */
export async function markEnqueued(db: SqlRunner, jobIds: string[], now = new Date()) {
  if (jobIds.length === 0) return;
  await db.execute(sql`update zoho_sync_queue set enqueued_at = ${ts(now)} where id in (${uuids(jobIds)})`);
}
