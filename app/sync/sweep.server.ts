// The hourly sweep (and GET /api/cron/zoho-sync): recover dead leases, then put up to 10 due jobs
// on the queue, by priority and time, if Zoho is connected and today's budget allows (the safety net for
// lost messages), and give the jobs due before the next sweep a message timed for their turn. Right after
// an admin reconnects or Zoho answers again, every waiting job goes instead of 10 (docs/decisions/031).
// Every run is recorded in cron_runs so the dashboard can say what the last one did. Nothing else: the
// hourly maintenance (housekeeping, the admin digest, mail retries) is app/maintenance, which the scheduled
// handler runs after it.
import { eq } from "drizzle-orm";
import { raiseIncident, resolveIncident } from "~/alerts/alerts.server";
import type { AppServices } from "~/context.server";
import { cronRuns } from "~/db/schema";
import { log } from "~/log.server";
import { getConnection } from "~/zoho/tokens.server";
import { formatDateTime } from "~/common/format";
import { recoverExpiredLeases, WORKER_STOPPED_MESSAGE } from "./jobs/recover.server";
import { markUpdateFailed } from "./profile-updates.server";
import { readOutage } from "./outage-store.server";
import { probeIfDue } from "./probe.server";
import { notifyFailure } from "./notify.server";
import { armUpcoming, enqueueDue, releaseWaiting, resumeAfterOutage } from "./backlog.server";

export const SWEEP_BATCH = 10;

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
  let pause: "running" | "paused" | "resumed";
  try {
    const recovery = await recoverExpiredLeases(db);
    summary.leasesRecovered = recovery.recovered;
    for (const customerId of recovery.failed) await notifyFailure(app, customerId, WORKER_STOPPED_MESSAGE);
    // A profile update whose worker died on every attempt: its customer's page says our team will look.
    for (const customerId of recovery.failedUpdates) await markUpdateFailed(db, customerId, new Date());
    const connection = await getConnection(db);
    if (!connection || connection.status !== "connected") {
      summary.error = connection ? "Zoho Books must be reconnected: jobs are waiting" : "Zoho Books is not connected: jobs are waiting";
      if (connection) await raiseIncident(app, "reconnect_needed", connection.lastError ? `Zoho said: ${connection.lastError}` : "An admin must connect Zoho Books again.");
    } else if ((pause = await pauseState(app)) === "paused") {
      const outage = await readOutage(db);
      summary.error = `Zoho Books unavailable since ${formatDateTime(outage.since)}: sync is paused and probes Zoho until it answers`;
    } else {
      await resolveIncident(app, "reconnect_needed");
      // Right after a resume or a reconnect every waiting job goes; otherwise the usual hourly share.
      const sent =
        pause === "resumed"
          ? await resumeAfterOutage(app)
          : trigger === "reconnect"
            ? await releaseWaiting(app, "reconnect")
            : await enqueueDue(app, SWEEP_BATCH, `sweep (${trigger})`);
      summary.jobsEnqueued = sent.enqueued;
      summary.skippedForBudget = sent.skippedForBudget;
      // Sync stalls for the day when customers are due and none is affordable; it recovers with the budget.
      if (sent.due > 0 && sent.enqueued === 0 && sent.affordable === 0) await raiseIncident(app, "budget_exhausted", `${sent.due}+ customers are waiting for tomorrow's budget.`);
      else if (sent.affordable > 0) await resolveIncident(app, "budget_exhausted");
      await armUpcoming(app);
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
  log("info", "sync sweep finished", { trigger, ...summary });
  return summary;
}

/** While paused, the sweep is one of the probers; a successful probe resumes sync. */
async function pauseState(app: AppServices): Promise<"running" | "paused" | "resumed"> {
  if (!(await readOutage(app.db)).paused) return "running";
  return (await probeIfDue(app)).result === "ok" ? "resumed" : "paused";
}
