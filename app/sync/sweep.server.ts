// The hourly sweep (and GET /api/cron/zoho-sync): recover dead leases, then put up to 10 due jobs
// on the queue, by priority and time, if Zoho is connected and today's budget allows. Every run is
// recorded in cron_runs so the dashboard can say what the last one did.
import { eq } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import { cronRuns } from "~/db/schema";
import { log } from "~/log.server";
import { remainingToday } from "~/zoho/ledger.server";
import { getConnection } from "~/zoho/tokens.server";
import { housekeeping } from "./housekeeping.server";
import { dueJobs, recoverExpiredLeases, WORKER_STOPPED_MESSAGE } from "./jobs.server";
import { notifyFailure } from "./notify.server";
import { sendJobs } from "./send.server";

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
    const recovery = await recoverExpiredLeases(db);
    summary.leasesRecovered = recovery.recovered;
    for (const customerId of recovery.failed) await notifyFailure(app, customerId, WORKER_STOPPED_MESSAGE);
    const connection = await getConnection(db);
    if (!connection || connection.status !== "connected") {
      summary.error = connection ? "Zoho Books must be reconnected: jobs are waiting" : "Zoho Books is not connected: jobs are waiting";
    } else {
      const due = await dueJobs(db, SWEEP_BATCH);
      const affordable = Math.floor((await remainingToday(db, app.env, "sync")) / CALLS_PER_JOB_RESERVED);
      const take = due.slice(0, Math.max(0, affordable));
      summary.skippedForBudget = due.length - take.length;
      if (take.length > 0 && (await sendJobs(app, take, `sweep (${trigger})`))) summary.jobsEnqueued = take.length;
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
  }
  log("info", "sync sweep finished", { trigger, ...summary });
  return summary;
}
