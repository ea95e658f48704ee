// Backfill: customers who registered before automatic sync existed (or whose job was never created)
// get jobs, spread over days so each day's share fits the sync budget. The sweep and the queue do the rest.
import { sql } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import type { DbOrTx } from "~/db/client.server";
import { backfillRuns } from "~/db/schema";
import { dailyCap } from "~/zoho/ledger.server";
import { CALLS_PER_JOB_RESERVED, runSweep } from "./sweep.server";

// Unverified accounts are left out (no Zoho call before the email is proven); once verified, a later
// backfill picks an old account without a job up.
const ELIGIBLE = sql`c.zoho_contact_id is null and c.zoho_sync_status = 'pending'
  and not exists (select 1 from zoho_sync_queue q where q.customer_id = c.id)
  and not exists (select 1 from users u where u.id = c.user_id and u.email_verified_at is null)`;

export async function countBackfillEligible(db: DbOrTx) {
  const result = await db.execute(sql`select count(*)::int as n from customers c where ${ELIGIBLE}`);
  return Number((result.rows[0] as { n: number }).n);
}

/** Creates the jobs in one transaction (all created_at = the run's start, which identifies them). */
export async function startBackfill(app: AppServices, adminId: string) {
  const perDay = Math.max(1, Math.floor(dailyCap("sync", app.env) / CALLS_PER_JOB_RESERVED));
  const run = await app.db.transaction(async (tx) => {
    const [created] = await tx.insert(backfillRuns).values({ startedBy: adminId }).returning();
    const inserted = await tx.execute(sql`
      insert into zoho_sync_queue (customer_id, action, scheduled_for, created_at)
      select id, case when is_returning_customer then 'match' else 'create' end,
        now() + ((rn - 1) / ${perDay}) * interval '1 day', now()
      from (select c.id, c.is_returning_customer, row_number() over (order by c.created_at, c.id) as rn
            from customers c where ${ELIGIBLE}) eligible
      returning id`);
    const total = inserted.rows.length;
    await tx.execute(sql`update backfill_runs set total = ${total}, enqueued = ${total} where id = ${created.id}`);
    return { ...created, total };
  });
  if (run.total > 0) await runSweep(app, "http");
  return { runId: run.id, total: run.total, perDay };
}

export async function backfillProgress(db: DbOrTx, run: typeof backfillRuns.$inferSelect) {
  const result = await db.execute(sql`
    select count(*) filter (where processed_at is not null)::int as done, count(*)::int as total
    from zoho_sync_queue where created_at = ${run.startedAt.toISOString()}::timestamptz`);
  const row = result.rows[0] as { done: number; total: number };
  return { startedAt: run.startedAt.toISOString(), total: run.total, done: Math.min(Number(row.done), run.total) };
}
