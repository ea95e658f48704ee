// What an admin can do to a customer's sync (R8): retry now, or reset. Both keep exactly one open
// job per customer and write the timeline with the admin who acted.
import { and, eq, isNull, sql } from "drizzle-orm";
import type { AppServices, SyncMessage } from "~/context.server";
import { customers, zohoSyncEvents, zohoSyncQueue, type SyncStatus } from "~/db/schema";
import { log } from "~/log.server";
import { markEnqueued } from "./jobs.server";

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
    const id = await upsertOpenJob(tx, customerId, customer.isReturningCustomer ? "match" : "retry", RETRY_PRIORITY);
    await tx
      .update(customers)
      .set({ zohoSyncStatus: "pending", zohoSyncError: null, zohoSyncAttempts: 0, zohoFailureNotifiedAt: null, updatedAt: new Date() })
      .where(eq(customers.id, customerId));
    await tx.insert(zohoSyncEvents).values({ customerId, jobId: id, action: "admin_retry", outcome: "queued", actorUserId: adminId });
    return id;
  });
  let queued = false;
  try {
    await app.queue.send({ jobId } satisfies SyncMessage);
    await markEnqueued(app.db, [jobId]);
    queued = true;
  } catch (error) {
    log("warn", "retry could not be sent to the queue; the hourly sweep will run it", { jobId, error });
  }
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
    const id = await upsertOpenJob(tx, customerId, customer.isReturningCustomer ? "match" : "retry", 0);
    await tx
      .update(customers)
      .set({ zohoSyncStatus: "pending", zohoSyncError: null, zohoSyncAttempts: 0, zohoSyncCandidates: null, zohoFailureNotifiedAt: null, updatedAt: new Date() })
      .where(eq(customers.id, customerId));
    await tx.insert(zohoSyncEvents).values({ customerId, jobId: id, action: "admin_reset", outcome: "pending", actorUserId: adminId });
    return id;
  });
  return { ...(await syncState(app, customerId)), jobId, queued: false };
}

type Tx = Parameters<Parameters<AppServices["db"]["transaction"]>[0]>[0];

/** Reuses the customer's open job (there is at most one) or opens a new one, due now. */
async function upsertOpenJob(tx: Tx, customerId: string, action: "match" | "retry", priority: number) {
  const [open] = await tx
    .update(zohoSyncQueue)
    .set({ priority, attempts: 0, lastError: null, scheduledFor: new Date(), enqueuedAt: null, createAttemptedAt: sql`${zohoSyncQueue.createAttemptedAt}` })
    .where(and(eq(zohoSyncQueue.customerId, customerId), isNull(zohoSyncQueue.processedAt)))
    .returning({ id: zohoSyncQueue.id });
  if (open) return open.id;
  const [created] = await tx.insert(zohoSyncQueue).values({ customerId, action, priority }).returning({ id: zohoSyncQueue.id });
  return created.id;
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
  const [job] = await app.db
    .select({ id: zohoSyncQueue.id, enqueuedAt: zohoSyncQueue.enqueuedAt })
    .from(zohoSyncQueue)
    .where(and(eq(zohoSyncQueue.customerId, customerId), isNull(zohoSyncQueue.processedAt)));
  return { customerId, ...row, jobId: job?.id ?? null, queued: !!job?.enqueuedAt };
}
