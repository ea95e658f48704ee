// Due jobs onto the queue, as far as today's budget allows (the admit phase's batch admission): the sweep's
// hourly share, and the whole backlog at once when sync resumes after an outage (a settle-phase effect, or
// the sweep's own probe).
import { resolveIncident } from "~/alerts/alerts.server";
import type { AppServices } from "~/context.server";
import { log } from "~/log.server";
import { dueJobs } from "./jobs/due.server";
import { admitBatch } from "./run/admit.server";
import { sendJobs } from "./send.server";

/** After an outage: every waiting job goes back on the queue, up to this many at once (within budget). */
export const RESUME_BATCH = 200;

/** Puts up to `limit` due jobs on the queue, by priority and time, as far as today's budget allows. */
export async function enqueueDue(app: AppServices, limit: number, why: string, opts: { resend?: boolean } = {}) {
  const due = await dueJobs(app.db, limit, new Date(), opts);
  const affordable = (await admitBatch(app)).today;
  const take = due.slice(0, Math.max(0, affordable));
  const sent = take.length > 0 && (await sendJobs(app, take, why));
  return { due: due.length, affordable, enqueued: sent ? take.length : 0, skippedForBudget: due.length - take.length };
}

/** Sync resumed after an outage: send the waiting jobs now instead of at the next hourly sweeps. */
export async function releaseBacklog(app: AppServices) {
  await resolveIncident(app, "zoho_unavailable");
  const sent = await enqueueDue(app, RESUME_BATCH, "resume after outage", { resend: true });
  log("info", "sync resumed after an outage", sent);
  return sent;
}
