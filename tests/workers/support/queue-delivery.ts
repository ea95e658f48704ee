// Delivers queue messages to the real Worker's queue() handler, exactly as Cloudflare would.
import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
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

