// Job store verbs of a backfill: customers who never had a job (they registered before automatic sync
// existed) get look-first jobs spread over days; a run is identified by the jobs' created_at.
import { sql } from "drizzle-orm";
import type { SyncAction, SyncStatus } from "../vocabulary";
import { count, ts, type SqlRunner } from "./sql";

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
export async function insertBackfillJobs(db: SqlRunner, perDay: number, startedAt: Date): Promise<string[]> {
  const result = await db.execute(sql`
    insert into zoho_sync_queue (customer_id, action, scheduled_for, created_at)
    select id, case when is_returning_customer then ${"match" satisfies SyncAction} else ${"match_or_create" satisfies SyncAction} end,
      ${ts(startedAt)} + ((rn - 1) / ${perDay}) * interval '1 day', ${ts(startedAt)}
    from (select c.id, c.is_returning_customer, row_number() over (order by c.created_at, c.id) as rn
          from customers c where ${backfillEligible}) eligible
    returning customer_id as "customerId"`);
  return (result.rows as Array<{ customerId: string }>).map((r) => r.customerId);
}

export async function backfillJobsDone(db: SqlRunner, startedAt: Date): Promise<number> {
  return count(
    await db.execute(sql`select count(*) filter (where processed_at is not null)::int as n from zoho_sync_queue where created_at = ${ts(startedAt)}`),
  );
}
