// What an admin can do to a customer's sync (R8): retry now, or reset. Both keep exactly one open
// job per customer and write the timeline with the admin who acted.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import { customers, zohoSyncEvents } from "~/db/schema";
import { spreadOverDays, type BacklogEta, type QueueSlice } from "./backlog-eta";
import { syncEta, type SyncEta } from "./eta.server";
import { openJobFor } from "./jobs/counts.server";
import { reopenOrInsertJob } from "./jobs/enqueue.server";
import { admitBatch } from "./run/admit.server";
import { sendJobs } from "./send.server";
import { OUTCOMES, type SyncStatus } from "./vocabulary";

export const RETRY_PRIORITY = 10;

export class SyncActionError extends Error {
  constructor(
    readonly status: 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

export type SyncState = {
  customerId: string;
  status: SyncStatus;
  error: string | null;
  attempts: number;
  jobId: string | null;
  queued: boolean;
};

const RETRYABLE: SyncStatus[] = ["failed", "skipped", "pending"];

/** POST …/zoho-sync: a fresh attempt now, with priority and attempts reset; sent to the queue at once. */
export async function retrySync(app: AppServices, customerId: string, adminId: string): Promise<SyncState> {
  const jobId = await app.db.transaction(async (tx) => {
    const [customer] = await tx.select().from(customers).where(eq(customers.id, customerId)).for("update");
    if (!customer) throw new SyncActionError(404, "No customer with this id.");
    if (!RETRYABLE.includes(customer.zohoSyncStatus))
      throw new SyncActionError(
        409,
        customer.zohoSyncStatus === "syncing"
          ? "A sync for this customer is running right now."
          : "This customer is already linked to a Zoho contact; unlink it first to sync again.",
      );
    const id = await reopenOrInsertJob(tx, { customerId, action: customer.isReturningCustomer ? "match" : "retry", priority: RETRY_PRIORITY });
    await tx
      .update(customers)
      .set({ zohoSyncStatus: "pending", zohoSyncError: null, zohoSyncAttempts: 0, zohoFailureNotifiedAt: null, updatedAt: new Date() })
      .where(eq(customers.id, customerId));
    await tx.insert(zohoSyncEvents).values({ customerId, jobId: id, action: "admin_retry", outcome: OUTCOMES.queued, actorUserId: adminId });
    return id;
  });
  const queued = await sendJobs(app, [jobId], "admin retry");
  return { ...(await syncState(app, customerId)), jobId, queued };
}

/** DELETE …/zoho-sync: back to pending with error and attempts cleared; no Zoho call, the sweep picks it up. */
export async function resetSync(app: AppServices, customerId: string, adminId: string): Promise<SyncState> {
  const jobId = await app.db.transaction(async (tx) => {
    const [customer] = await tx.select().from(customers).where(eq(customers.id, customerId)).for("update");
    if (!customer) throw new SyncActionError(404, "No customer with this id.");
    if (customer.zohoSyncStatus === "syncing") throw new SyncActionError(409, "A sync for this customer is running right now.");
    if (customer.zohoSyncStatus === "synced" || customer.zohoSyncStatus === "manual")
      throw new SyncActionError(409, "This customer is linked to a Zoho contact; unlink it instead of resetting.");
    const id = await reopenOrInsertJob(tx, { customerId, action: customer.isReturningCustomer ? "match" : "retry", priority: 0 });
    await tx
      .update(customers)
      .set({ zohoSyncStatus: "pending", zohoSyncError: null, zohoSyncAttempts: 0, zohoSyncCandidates: null, zohoFailureNotifiedAt: null, updatedAt: new Date() })
      .where(eq(customers.id, customerId));
    await tx.insert(zohoSyncEvents).values({ customerId, jobId: id, action: "admin_reset", outcome: OUTCOMES.pending, actorUserId: adminId });
    return id;
  });
  return { ...(await syncState(app, customerId)), jobId, queued: false };
}

export async function syncState(app: AppServices, customerId: string): Promise<SyncState> {
  const [row] = await app.db
    .select({
      status: customers.zohoSyncStatus,
      error: customers.zohoSyncError,
      attempts: customers.zohoSyncAttempts,
    })
    .from(customers)
    .where(eq(customers.id, customerId));
  if (!row) throw new SyncActionError(404, "No customer with this id.");
  const job = await openJobFor(app.db, customerId);
  return { customerId, ...row, jobId: job?.id ?? null, queued: !!job?.enqueuedAt };
}

export type BulkRetry = { total: number; sentNow: number; eta: BacklogEta; /** The customers given a fresh job (for the audit log). */ customerIds: string[] };

/** Failed customers "Retry all failed" takes: not those an admin unlinked on purpose (they keep their reason). */
const RETRY_ALL_ELIGIBLE = and(eq(customers.zohoSyncStatus, "failed" satisfies SyncStatus), sql`${customers.zohoReviewReason} is distinct from 'unlinked'`);

/** What "Retry all failed" would do now: how many, how they are spread over days, when all will be done. */
export type RetryAllPlan = { total: number; unlinkedLeftOut: number; today: number; perDay: number; slices: QueueSlice[]; eta: SyncEta };

export async function retryAllPlan(app: AppServices, now = new Date()): Promise<RetryAllPlan> {
  const [counts, { today, perDay }] = await Promise.all([
    app.db.execute(sql`select count(*) filter (where ${RETRY_ALL_ELIGIBLE})::int as total,
        count(*) filter (where zoho_review_reason = 'unlinked')::int as unlinked
      from customers where zoho_sync_status = 'failed'`),
    admitBatch(app, now), // the same budget gate as the sweep (app/sync/run/admit.server.ts)
  ]);
  const row = counts.rows[0] as { total: number; unlinked: number };
  const total = Number(row.total);
  const slices = spreadOverDays(total, today, perDay, now, app.env.ZOHO_DAY_TIMEZONE);
  return { total, unlinkedLeftOut: Number(row.unlinked), today, perDay, slices, eta: await syncEta(app, { adding: slices, now }) };
}

/**
 * "Retry all failed": every failed customer (but those an admin unlinked) gets a fresh job (attempts reset,
 * looking before any create as every job does). Today's affordable share is due now and sent; the rest is
 * spread over the next days at the budget's rate (spreadOverDays, the plan the admin confirmed), like a
 * backfill, so one click can never blow the budget.
 */
export async function retryAllFailed(app: AppServices, adminId: string, now = new Date()): Promise<BulkRetry> {
  const { perDay, today } = await admitBatch(app, now);
  const placed = await app.db.transaction(async (tx) => {
    const failed = await tx
      .select({ id: customers.id, returning: customers.isReturningCustomer })
      .from(customers)
      .where(RETRY_ALL_ELIGIBLE)
      .orderBy(customers.updatedAt)
      .for("update", { skipLocked: true });
    const starts = spreadOverDays(failed.length, today, perDay, now, app.env.ZOHO_DAY_TIMEZONE).flatMap((s) => Array.from({ length: s.jobs }, () => s.at));
    const ids: string[] = [];
    for (const [i, c] of failed.entries()) {
      const jobId = await reopenOrInsertJob(tx, { customerId: c.id, action: c.returning ? "match" : "retry", priority: RETRY_PRIORITY, scheduledFor: starts[i] });
      ids.push(jobId);
      await tx.insert(zohoSyncEvents).values({ customerId: c.id, jobId, action: "admin_retry_all", outcome: OUTCOMES.queued, actorUserId: adminId });
    }
    if (failed.length)
      await tx
        .update(customers)
        .set({ zohoSyncStatus: "pending", zohoSyncError: null, zohoSyncAttempts: 0, zohoFailureNotifiedAt: null, updatedAt: now })
        .where(inArray(customers.id, failed.map((c) => c.id)));
    return { ids, customerIds: failed.map((c) => c.id) };
  });
  const { ids: jobIds, customerIds } = placed;
  const dueNow = jobIds.slice(0, today);
  const sent = await sendJobs(app, dueNow, "admin retry all");
  // The placed jobs are in the queue now: the ETA reads them there.
  return { total: jobIds.length, sentNow: sent ? dueNow.length : 0, eta: await syncEta(app, { now }), customerIds };
}
