// The backlog ETA as the dashboard and "Retry all failed" show it: the one model (backlog-eta.ts) fed with the
// queue's profile (the job store), today's calls per finished job and the sync share (the ledger), and the pace.
import type { AppServices } from "~/context.server";
import { dailyCap, ledgerHistory } from "~/zoho/ledger.server";
import { backlogEta, callsPerJob, type BacklogEta, type QueueSlice } from "./backlog-eta";
import { jobsFinishedToday, queueProfile } from "./jobs/counts.server";

export type SyncEta = BacklogEta & { callsPerJob: number; perMinute: number };

/** When the open jobs (and `adding`, jobs about to be placed, e.g. by "Retry all failed") will be done. */
export async function syncEta(app: Pick<AppServices, "db" | "env">, opts: { adding?: QueueSlice[]; now?: Date } = {}): Promise<SyncEta> {
  const now = opts.now ?? new Date();
  const zone = app.env.ZOHO_DAY_TIMEZONE;
  const [queue, [today], finishedJobs] = await Promise.all([queueProfile(app.db, now), ledgerHistory(app.db, 1, now, zone), jobsFinishedToday(app.db, zone)]);
  const share = dailyCap("sync", app.env);
  // Calls of runs that ended waiting (a 429 after a first call) did no work: left out of the calls per job.
  const cpj = callsPerJob({ workCalls: today.sync - today.syncWasted, finishedJobs });
  const eta = backlogEta({
    // Jobs being placed go before the open ones at the same time (an admin's retry has priority).
    queue: [...(opts.adding ?? []), ...queue],
    callsPerJob: cpj,
    perMinute: app.env.ZOHO_CALLS_PER_MINUTE,
    remainingToday: Math.max(0, Math.min(share - today.sync, app.env.ZOHO_DAILY_CALL_LIMIT - today.total)),
    dailyShare: share,
    now,
    zone,
  });
  return { ...eta, callsPerJob: cpj, perMinute: app.env.ZOHO_CALLS_PER_MINUTE };
}
