// The Cloudflare Queues consumer: a message only says "look at job X". Each message is acked only
// after its outcome is stored; an infrastructure failure (database down) retries the message, and
// the job row stays due for the hourly sweep whatever happens to the message.
import { z } from "zod";
import type { AppServices } from "~/context.server";
import { log } from "~/log.server";
import { runJob, type RunDeps } from "./run-job.server";
import { sendJobs } from "./send.server";
import { FIRST_PROBE_DELAY_MS } from "./outage";
import { readOutage } from "./outage-store.server";
import { notifyFailure } from "./notify.server";
import { releaseBacklog } from "./sweep.server";
import { raiseIncident } from "~/alerts/alerts.server";
import { formatDateTime } from "~/common/format";

const MessageSchema = z.object({ jobId: z.uuid() });

export type BatchHooks = Pick<RunDeps, "afterZohoWrite" | "afterClaim" | "fetchImpl" | "random">;

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
        log("info", "sync job processed", { jobId, outcome: run.transition.event.outcome, zohoCalls: run.zohoCalls, error: run.transition.event.error ?? undefined });
        if (run.transition.job.sendDelayMs !== undefined) await sendJobs(app, [jobId], "delayed retry", { delayMs: run.transition.job.sendDelayMs });
        if (run.transition.customer.status === "failed") await notifyFailure(app, run.customerId, run.transition.customer.error);
        if (run.outage.paused) await outageStarted(app, jobId);
        if (run.outage.resumed) await releaseBacklog(app);
      } else if (run.status === "paused") {
        // The one message that probed keeps the probe chain going; the others are dropped (their jobs
        // stay due, and resuming sends them all).
        if (run.probeInMs !== null) await sendJobs(app, [jobId], "outage probe", { delayMs: run.probeInMs });
        else log("info", "sync paused: message dropped, the job waits for the resume", { jobId });
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

/** One alert per incident (only the run that paused sync gets here), and the first probe message. */
async function outageStarted(app: AppServices, jobId: string) {
  const state = await readOutage(app.db);
  log("warn", "zoho unavailable: sync paused", { since: state.since, error: state.lastError });
  // One alert per incident (webhook and admins' mail); releaseBacklog closes it when Zoho answers again.
  await raiseIncident(
    app,
    "zoho_unavailable",
    `Zoho Books unavailable since ${formatDateTime(state.since)} (${state.lastError ?? "no answer"}). Sync is paused and resumes by itself when Zoho answers; no customer is failed because of it.`,
  );
  await sendJobs(app, [jobId], "outage probe", { delayMs: FIRST_PROBE_DELAY_MS });
}
