// Delivers queue messages to the real Worker's queue() handler, and fires its hourly cron, exactly as Cloudflare would.
import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import worker from "@workers/app";
import type { WorkerEnv } from "~/context.server";

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
