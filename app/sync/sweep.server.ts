// The hourly sweep (and GET /api/cron/zoho-sync): recover dead leases, then put up to 10 due jobs
// on the queue, by priority and time, if Zoho is connected and today's budget allows. Every run is
// recorded in cron_runs so the dashboard can say what the last one did.
import { eq } from "drizzle-orm";
import { raiseIncident, resolveIncident, sendFailureDigest } from "~/alerts/alerts.server";
import type { AppServices, SyncMessage } from "~/context.server";
import { deliverMail } from "~/email/outbox.server";
import { cronRuns } from "~/db/schema";
import { log } from "~/log.server";
import { remainingToday } from "~/zoho/ledger.server";
import { getConnection } from "~/zoho/tokens.server";
import { housekeeping } from "./housekeeping.server";
import { dueJobs, markEnqueued, recoverExpiredLeases } from "./jobs.server";

export const SWEEP_BATCH = 10;
// A job costs 1–3 calls (create: 1; match: 1–3; retry after a crash: 2). Keep room for the worst case.
export const CALLS_PER_JOB_RESERVED = 3;

export type SweepSummary = {
  runId: number;
  leasesRecovered: number;
  jobsEnqueued: number;
  skippedForBudget: number;
  error: string | null;
};

export async function runSweep(app: AppServices, trigger: "cron" | "http" | "reconnect"): Promise<SweepSummary> {
  const db = app.db;
  const [run] = await db.insert(cronRuns).values({ trigger }).returning({ id: cronRuns.id });
  const summary: SweepSummary = { runId: run.id, leasesRecovered: 0, jobsEnqueued: 0, skippedForBudget: 0, error: null };
  try {
    summary.leasesRecovered = await recoverExpiredLeases(db);
    const connection = await getConnection(db);
    if (!connection || connection.status !== "connected") {
      summary.error = connection ? "Zoho Books must be reconnected: jobs are waiting" : "Zoho Books is not connected: jobs are waiting";
      if (connection) await raiseIncident(app, "reconnect_needed", connection.lastError ? `Zoho said: ${connection.lastError}` : "An admin must connect Zoho Books again.");
    } else {
      await resolveIncident(app, "reconnect_needed");
      const due = await dueJobs(db, SWEEP_BATCH);
      const affordable = Math.floor((await remainingToday(db, app.env, "sync")) / CALLS_PER_JOB_RESERVED);
      const take = due.slice(0, Math.max(0, affordable));
      summary.skippedForBudget = due.length - take.length;
      if (due.length > 0 && take.length === 0) await raiseIncident(app, "budget_exhausted", `${due.length}+ customers are waiting for tomorrow's budget.`);
      else if (affordable > 0) await resolveIncident(app, "budget_exhausted");
      if (take.length > 0) {
        await app.queue.sendBatch(take.map((jobId) => ({ body: { jobId } satisfies SyncMessage })));
        await markEnqueued(db, take);
        summary.jobsEnqueued = take.length;
      }
    }
  } catch (error) {
    summary.error = `Sweep failed: ${(error as Error).message}`;
    log("error", "sync sweep failed", { error });
  }
  await db
    .update(cronRuns)
    .set({
      finishedAt: new Date(),
      leasesRecovered: summary.leasesRecovered,
      jobsEnqueued: summary.jobsEnqueued,
      skippedForBudget: summary.skippedForBudget,
      error: summary.error,
    })
    .where(eq(cronRuns.id, run.id));
  if (trigger === "cron") {
    const trimmed = await housekeeping(db).catch((error) => log("warn", "housekeeping failed", { error }));
    if (trimmed) log("info", "housekeeping", trimmed);
    // Mail that failed earlier is retried here (with backoff); failures of the last hour get their digest.
    await sendFailureDigest(app).catch((error) => log("warn", "failure digest failed", { error }));
    const mail = await deliverMail(app).catch((error) => log("warn", "mail retry failed", { error }));
    if (mail && (mail.sent || mail.failed)) log("info", "mail retried", mail);
  }
  log("info", "sync sweep finished", { trigger, ...summary });
  return summary;
}
