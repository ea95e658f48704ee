// What an admin can do to a customer's sync (R8): retry now, or reset. Both keep exactly one open
// job per customer and write the timeline with the admin who acted.
import { eq } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import { customers, zohoSyncEvents } from "~/db/schema";
import { openJobFor, reopenOrInsertJob } from "./jobs.server";
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
