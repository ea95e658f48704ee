// What an admin can do to a customer's sync (R8): retry now, or reset. Both keep exactly one open
// job per customer and write the timeline with the admin who acted.
import { eq, inArray } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import { customers, zohoSyncEvents } from "~/db/schema";
import { dailyCap, remainingToday } from "~/zoho/ledger.server";
import { backlogEta, type BacklogEta } from "./backlog-eta";
import { openJobFor } from "./jobs/counts.server";
import { reopenOrInsertJob } from "./jobs/enqueue.server";
import { CALLS_PER_JOB_RESERVED } from "./budget";
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

export type BulkRetry = { total: number; sentNow: number; eta: BacklogEta };

/**
 * "Retry all failed": every failed customer gets a fresh job (attempts reset, looking before any create as
 * every job does). Today's affordable share is due now and sent; the rest is spread over the next days at
 * the budget's rate, like a backfill, so one click can never blow the budget.
 */
export async function retryAllFailed(app: AppServices, adminId: string, now = new Date()): Promise<BulkRetry> {
  const { perDay, today } = await admitBatch(app, now); // the same budget gate as the sweep (app/sync/run/admit.server.ts)
  const jobIds = await app.db.transaction(async (tx) => {
    const failed = await tx
      .select({ id: customers.id, returning: customers.isReturningCustomer })
      .from(customers)
      .where(eq(customers.zohoSyncStatus, "failed" satisfies SyncStatus))
      .orderBy(customers.updatedAt)
      .for("update", { skipLocked: true });
    const ids: string[] = [];
    for (const [i, c] of failed.entries()) {
      const scheduledFor = i < today ? now : new Date(nextUtcDay(now) + Math.floor((i - today) / Math.max(1, perDay)) * 86_400_000);
      const jobId = await reopenOrInsertJob(tx, { customerId: c.id, action: c.returning ? "match" : "retry", priority: RETRY_PRIORITY, scheduledFor });
      ids.push(jobId);
      await tx.insert(zohoSyncEvents).values({ customerId: c.id, jobId, action: "admin_retry_all", outcome: OUTCOMES.queued, actorUserId: adminId });
    }
    if (failed.length)
      await tx
        .update(customers)
        .set({ zohoSyncStatus: "pending", zohoSyncError: null, zohoSyncAttempts: 0, zohoFailureNotifiedAt: null, updatedAt: now })
        .where(inArray(customers.id, failed.map((c) => c.id)));
    return ids;
  });
  const dueNow = jobIds.slice(0, today);
  const sent = await sendJobs(app, dueNow, "admin retry all");
  return { total: jobIds.length, sentNow: sent ? dueNow.length : 0, eta: await estimateBacklog(app, jobIds.length, now) };
}

const nextUtcDay = (now: Date) => Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);

/** When `jobs` waiting jobs will be done at the budget's maximum rate (the dashboard's backlog ETA). */
export async function estimateBacklog(app: AppServices, jobs: number, now = new Date()) {
  return backlogEta({
    openJobs: jobs,
    callsPerJob: CALLS_PER_JOB_RESERVED,
    remainingToday: await remainingToday(app.db, app.env, "sync", now),
    dailyShare: dailyCap("sync", app.env),
    perMinute: app.env.ZOHO_CALLS_PER_MINUTE,
    now,
  });
}
