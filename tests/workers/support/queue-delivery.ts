// Delivers queue messages to the real Worker's queue() handler, and fires its hourly cron, exactly as Cloudflare would.
import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import worker from "@workers/app";
import { createAppServices, type WorkerEnv } from "~/context.server";
import { handleSyncBatch } from "~/sync/consumer.server";
import { SimulatedCrash } from "~/sync/run/work.server";

/** Delivers messages to the Worker's queue() exactly as Cloudflare would; returns acks and retries. */
export async function deliver(env: WorkerEnv, jobIds: string[]) {
  const batch = createMessageBatch(
    "cangoods-zoho-sync",
    jobIds.map((jobId, i) => ({ id: `msg-${i}-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body: { jobId } })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  await waitOnExecutionContext(ctx);
  return getQueueResult(batch, ctx);
}

/** Fires the Worker's hourly cron (scheduled()) and waits for the sweep it runs. */
export async function runCron(env: WorkerEnv) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: new Date(), cron: "0 * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

/**
 * Delivers one job to the consumer and kills the run between Zoho's write and the database's (the worker died
 * mid-job); returns the batch's result, whose message Cloudflare would retry.
 */
export async function crashAfterZohoWrite(env: WorkerEnv, jobId: string, why: string) {
  const app = createAppServices(env);
  const batch = createMessageBatch("cangoods-zoho-sync", [{ id: "m1", timestamp: new Date(), attempts: 1, body: { jobId } }]);
  const ctx = createExecutionContext();
  try {
    await handleSyncBatch(batch, app, {
      afterZohoWrite: () => {
        throw new SimulatedCrash(why);
      },
    });
    return await getQueueResult(batch, ctx);
  } finally {
    await app.close();
  }
}
