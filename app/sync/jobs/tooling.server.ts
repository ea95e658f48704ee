// The job store's verbs for tests, chaos runs and benchmarks only: time travel (a wait or a lease that ends
// now), inspection, seeding and fault injection. The app never imports this module (the import-graph check,
// tools/architecture.test.ts, refuses it); tools and tests use it instead of SQL of their own on the table.
import { eq, sql } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { zohoSyncQueue } from "~/db/schema";
import type { SyncAction } from "../vocabulary";
import { count, type SqlRunner } from "./sql";

// --- Time travel ---------------------------------------------------------------------------------

/** A job waiting for its retry, its turn in the pace line or tomorrow's budget becomes due now (every job when no id; reopened if `reopen`). */
export async function makeJobDue(db: SqlRunner, jobId?: string, opts: { reopen?: boolean } = {}) {
  const reopen = opts.reopen ? sql`processed_at = null, ` : sql``;
  // A job waiting in the pace line: its slot is now too (its turn has come).
  const set = sql`${reopen}scheduled_for = now(), pace_slot = case when pace_slot is null then null else now() end`;
  if (jobId) await db.execute(sql`update zoho_sync_queue set ${set} where id = ${jobId}::uuid`);
  else await db.execute(sql`update zoho_sync_queue set ${set}`);
}

/**
 * Open jobs scheduled in the future become due now, and may be sent again (chaos and benches: backoffs and
 * waits elapse at once); a job waiting in the pace line has its turn now too. `notLeased` leaves running jobs
 * alone; `action`/`exceptAction` pick which jobs move; `withinMs` moves only jobs due that soon (a wait for the
 * next budget day stays a wait).
 */
export async function makeWaitingJobsDue(db: SqlRunner, opts: { notLeased?: boolean; action?: SyncAction; exceptAction?: SyncAction; withinMs?: number } = {}) {
  await db.execute(sql`
    update zoho_sync_queue set scheduled_for = now(), enqueued_at = null, pace_slot = case when pace_slot is null then null else now() end
    where processed_at is null and scheduled_for > now()
      ${opts.withinMs !== undefined ? sql`and scheduled_for < now() + ${opts.withinMs} * interval '1 millisecond'` : sql``}
      ${opts.notLeased ? sql`and locked_until is null` : sql``}
      ${opts.action ? sql`and action = ${opts.action}` : sql``}
      ${opts.exceptAction ? sql`and action <> ${opts.exceptAction}` : sql``}`);
}

/**
 * The queue lost its messages (the local dev server died with them): every open job sent to the queue and not
 * running may be sent again now, as the sweep's re-send rule would do once the messages count as lost.
 */
export async function forgetQueueMessages(db: SqlRunner) {
  await db.execute(sql`
    update zoho_sync_queue set enqueued_at = null
    where processed_at is null and enqueued_at is not null and (locked_until is null or locked_until < now())`);
}

/** The worker holding the job "died" long enough ago: its lease has run out. */
export async function expireLease(db: SqlRunner, jobId: string) {
  await db.execute(sql`update zoho_sync_queue set locked_until = now() - interval '1 second' where id = ${jobId}::uuid`);
}

/** A finished job is open again (what a lost write would leave behind). */
export async function reopenJob(db: SqlRunner, jobId: string) {
  await db.execute(sql`update zoho_sync_queue set processed_at = null where id = ${jobId}::uuid`);
}

export async function setJobPriority(db: SqlRunner, jobId: string, priority: number) {
  await db.execute(sql`update zoho_sync_queue set priority = ${priority} where id = ${jobId}::uuid`);
}

/** A job waiting (no queue message since it last ran) until `ms` from now, as a wait held for tomorrow's budget leaves it. */
export async function scheduleJobIn(db: SqlRunner, jobId: string, ms: number) {
  await db.execute(sql`update zoho_sync_queue set scheduled_for = now() + ${ms} * interval '1 millisecond', enqueued_at = null where id = ${jobId}::uuid`);
}

/** Customers as they were before automatic sync existed: no job at all. */
export async function deleteAllJobs(db: SqlRunner) {
  await db.execute(sql`delete from zoho_sync_queue`);
}

// --- Inspection ----------------------------------------------------------------------------------

/** A job as drizzle reads it (camelCase, dates). */
export async function jobRecord(db: Db, jobId: string) {
  const [job] = await db.select().from(zohoSyncQueue).where(eq(zohoSyncQueue.id, jobId));
  return job;
}

/** A customer's jobs as drizzle reads them. */
export async function jobRecordsOf(db: Db, customerId: string) {
  return db.select().from(zohoSyncQueue).where(eq(zohoSyncQueue.customerId, customerId));
}

/** A customer's jobs as Postgres names the columns (snake_case). */
export async function jobRowsOf(db: SqlRunner, customerId: string): Promise<Array<Record<string, unknown>>> {
  return (await db.execute(sql`select * from zoho_sync_queue where customer_id = ${customerId}::uuid`)).rows as Array<Record<string, unknown>>;
}

/** Every job's timing and attempts, by id (what a test compares before and after something that must change nothing). */
export async function allJobStates(db: SqlRunner): Promise<Array<Record<string, unknown>>> {
  return (await db.execute(sql`select id, scheduled_for, enqueued_at, processed_at, attempts from zoho_sync_queue order by id`)).rows as Array<Record<string, unknown>>;
}

/** The ids of the jobs of the customer with this email. */
export async function jobIdsForEmail(db: SqlRunner, email: string): Promise<string[]> {
  const rows = (await db.execute(sql`select q.id from zoho_sync_queue q join customers c on c.id = q.customer_id where c.email = ${email}`)).rows;
  return (rows as Array<{ id: string }>).map((r) => r.id);
}

/** When each open job is due, earliest first. */
export async function openJobSchedules(db: SqlRunner): Promise<Array<{ scheduled_for: string | Date }>> {
  return (await db.execute(sql`select scheduled_for from zoho_sync_queue where processed_at is null order by scheduled_for`)).rows as Array<{ scheduled_for: string | Date }>;
}

/** Jobs per day from today (0 = today), as a backfill spreads them. */
export async function jobsPerDayAhead(db: SqlRunner): Promise<Array<{ d: number; n: number }>> {
  return (await db.execute(sql`select (scheduled_for::date - now()::date) as d, count(*)::int as n from zoho_sync_queue group by 1 order by 1`)).rows as Array<{ d: number; n: number }>;
}

export async function countOpenJobs(db: SqlRunner, opts: { exceptAction?: SyncAction } = {}): Promise<number> {
  return count(
    await db.execute(sql`select count(*)::int as n from zoho_sync_queue where processed_at is null
      ${opts.exceptAction ? sql`and action <> ${opts.exceptAction}` : sql``}`),
  );
}

/** Open jobs due tomorrow (UTC) or later: what waits for the next budget day. */
export async function countJobsAfterToday(db: SqlRunner, opts: { exceptAction?: SyncAction } = {}): Promise<number> {
  return count(
    await db.execute(sql`select count(*)::int as n from zoho_sync_queue where processed_at is null
      and scheduled_for >= date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' + interval '1 day'
      ${opts.exceptAction ? sql`and action <> ${opts.exceptAction}` : sql``}`),
  );
}

/** The most attempts any job has spent. */
export async function maxJobAttempts(db: SqlRunner): Promise<number> {
  return count(await db.execute(sql`select coalesce(max(attempts), 0)::int as n from zoho_sync_queue`));
}

/** For each customer whose email is like `pattern`: the email, and whether a queue message was sent for their job. */
export async function jobsSentFor(db: SqlRunner, emailLike: string): Promise<Array<{ email: string; enqueued: boolean }>> {
  const rows = (await db.execute(sql`select c.email, q.enqueued_at is not null as enqueued
    from customers c join zoho_sync_queue q on q.customer_id = c.id where c.email like ${emailLike}`)).rows;
  return rows as Array<{ email: string; enqueued: boolean }>;
}

// --- Seeding and faults --------------------------------------------------------------------------

/** A due create job for each customer whose email is like `emailLike` (the claim bench's 100,000 jobs), then fresh statistics. */
export async function seedDueJobs(db: SqlRunner, emailLike: string, limit: number) {
  await db.execute(sql`insert into zoho_sync_queue (customer_id, action, scheduled_for)
    select id, ${"create" satisfies SyncAction}, now() - interval '1 minute' from customers where email like ${emailLike} limit ${limit}`);
  await db.execute(sql`analyze zoho_sync_queue`);
}

/** `n` ids of open jobs for customers whose email is like `emailLike`, in random order (other suites on the same
 * database leave finished jobs behind, which no claim can take). */
export async function randomJobIds(db: SqlRunner, emailLike: string, n: number): Promise<string[]> {
  const result = await db.execute(sql`select q.id from zoho_sync_queue q join customers c on c.id = q.customer_id
    where c.email like ${emailLike} and q.processed_at is null and q.locked_until is null order by random() limit ${n}`);
  return (result.rows as Array<{ id: string }>).map((r) => r.id);
}

/** Inserting a job of this action fails (a check constraint named `constraint`) until allowJobInserts. */
export async function failJobInserts(db: SqlRunner, action: SyncAction, constraint: string) {
  await db.execute(sql`alter table zoho_sync_queue add constraint ${sql.identifier(constraint)} check (action <> ${sql.raw(`'${action}'`)}) not valid`);
}

export async function allowJobInserts(db: SqlRunner, constraint: string) {
  await db.execute(sql`alter table zoho_sync_queue drop constraint ${sql.identifier(constraint)}`);
}
