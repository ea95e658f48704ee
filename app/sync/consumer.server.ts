// The Cloudflare Queues consumer: a message only says "look at job X". One job's run is three phases, each in
// its own module, read in this order (docs/decisions/027-sync-run-phases.md):
//   admit  (app/sync/run/admit.server.ts)  may this job spend Zoho calls now, and how many? claims it;
//   work   (app/sync/run/work.server.ts)   Zoho calls and pure decisions only: what did Zoho say?
//   settle (app/sync/run/settle.server.ts) one transaction: the outcome, the timeline, the link, the ledger;
// then the effects that must follow the commit (queue sends, alerts). Each message is acked only after its
// outcome is stored; an infrastructure failure (database down) retries the message, and the job row stays
// due for the hourly sweep whatever happens to the message.
import { z } from "zod";
import type { AppServices } from "~/context.server";
import { log } from "~/log.server";
import { markCreateAttempted } from "./jobs/claim.server";
import { admitJob, type RunDeps } from "./run/admit.server";
import { runEffects } from "./run/effects.server";
import { settleRun } from "./run/settle.server";
import { doWork, type WorkPorts } from "./run/work.server";

const MessageSchema = z.object({ jobId: z.uuid() });

export type BatchHooks = Pick<RunDeps, "afterClaim" | "fetchImpl" | "random"> & Pick<WorkPorts, "afterZohoWrite">;

export async function handleSyncBatch(batch: MessageBatch<unknown>, app: AppServices, hooks: BatchHooks = {}) {
  const worker = `consumer:${crypto.randomUUID()}`;
  const deps: RunDeps = { db: app.db, env: app.env, worker, ...hooks };
  for (const message of batch.messages) {
    const parsed = MessageSchema.safeParse(message.body);
    if (!parsed.success) {
      log("error", "dropping malformed sync message", { messageId: message.id });
      message.ack();
      continue;
    }
    const { jobId } = parsed.data;
    try {
      const admission = await admitJob(deps, jobId);
      if (admission.status === "paused") {
        // Effects: the next probe message, when this run probed; otherwise the message is dropped.
        if (admission.effects.length === 0) log("info", "sync paused: message dropped, the job waits for the resume", { jobId });
        await runEffects(app, admission.effects);
      } else if (admission.status === "not_claimed") {
        log("info", "sync message skipped", { jobId, reason: "not_claimed" });
        await runEffects(app, admission.effects);
      } else {
        const result =
          admission.turnedAway ??
          (await doWork(admission.task, {
            zoho: admission.client,
            beforeCreate: () => markCreateAttempted(app.db, admission.job, worker),
            afterZohoWrite: hooks.afterZohoWrite,
            probeHealth: admission.probeHealth,
            mirror: admission.mirror,
          }));
        const settled = await settleRun(deps, admission, result);
        if (settled.stored) {
          const { event } = settled.transition;
          log("info", "sync job processed", { jobId, outcome: event.outcome, zohoCalls: settled.zohoCalls, error: event.error ?? undefined });
          await runEffects(app, settled.effects);
        } else log("info", "sync message skipped", { jobId, reason: "lease_lost" });
      }
      message.ack();
    } catch (error) {
      log("error", "sync job could not be processed; message will be retried", { jobId, error });
      message.retry({ delaySeconds: Math.min(30 * message.attempts, 300) });
    }
  }
}
