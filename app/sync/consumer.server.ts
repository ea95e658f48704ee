// The Cloudflare Queues consumer: a message only says "look at job X". Each message is acked only
// after its outcome is stored; an infrastructure failure (database down) retries the message, and
// the job row stays due for the hourly sweep whatever happens to the message.
import { z } from "zod";
import type { AppServices } from "~/context.server";
import { log } from "~/log.server";
import { notifyFailure } from "./notify.server";
import { runJob, type RunDeps } from "./run-job.server";
import { sendJobs } from "./send.server";

const MessageSchema = z.object({ jobId: z.uuid() });

export type BatchHooks = Pick<RunDeps, "afterZohoWrite" | "fetchImpl" | "random">;

export async function handleSyncBatch(batch: MessageBatch<unknown>, app: AppServices, hooks: BatchHooks = {}) {
  const worker = `consumer:${crypto.randomUUID()}`;
  for (const message of batch.messages) {
    const parsed = MessageSchema.safeParse(message.body);
    if (!parsed.success) {
      log("error", "dropping malformed sync message", { messageId: message.id });
      message.ack();
      continue;
    }
    const { jobId } = parsed.data;
    try {
      const run = await runJob({ db: app.db, env: app.env, worker, ...hooks }, jobId);
      if (run.status === "done") {
        log("info", "sync job processed", { jobId, outcome: run.transition.event.outcome, zohoCalls: run.zohoCalls });
        if (run.transition.job.sendDelayMs !== undefined) await sendJobs(app, [jobId], "delayed retry", { delayMs: run.transition.job.sendDelayMs });
        if (run.transition.customer.status === "failed") await notifyFailure(app, run.customerId, run.transition.customer.error);
      } else {
        log("info", "sync message skipped", { jobId, reason: run.status });
      }
      message.ack();
    } catch (error) {
      log("error", "sync job could not be processed; message will be retried", { jobId, error });
      message.retry({ delaySeconds: Math.min(30 * message.attempts, 300) });
    }
  }
}
