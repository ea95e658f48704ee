// Waiting jobs onto the queue (docs/decisions/031-waits-that-end.md): the sweep's hourly share of due jobs (the
// safety net for lost messages, as far as today's budget allows), the release of EVERY waiting job at once when
// what they waited for ends (Zoho answers again after an outage, an admin reconnects), and the timed messages
// for jobs that become due before the next sweep (a job held for the budget, a day of a spread-out retry or
// backfill). Pace and budget then apply as for any job: the admit phase takes them when the job runs.
import { resolveIncident } from "~/alerts/alerts.server";
import type { AppServices } from "~/context.server";
import { log } from "~/log.server";
import { dueJobs, upcomingJobs } from "./jobs/due.server";
import { admitBatch } from "./run/admit.server";
import { sendJobs, sendTimed } from "./send.server";

/** A release sends at most this many jobs per call (a Worker invocation's sends stay short); the rest go with the next. */
export const RELEASE_LIMIT = 10_000;
/** The sweep gives a timed message to the jobs due before the next hourly sweep (with room for a late cron). */
export const UPCOMING_WINDOW_MS = 70 * 60_000;

export type Enqueued = { due: number; affordable: number; enqueued: number; skippedForBudget: number };

/** Puts up to `limit` due jobs on the queue, by priority and time, as far as today's budget allows (the sweep's share). */
export async function enqueueDue(app: AppServices, limit: number, why: string): Promise<Enqueued> {
  const due = await dueJobs(app.db, limit, new Date());
  const affordable = (await admitBatch(app)).today;
  const take = due.slice(0, Math.max(0, affordable));
  const sent = take.length > 0 && (await sendJobs(app, take, why));
  return { due: due.length, affordable, enqueued: sent ? take.length : 0, skippedForBudget: due.length - take.length };
}

/**
 * What the waiting jobs waited for has ended: every due job goes to the queue now, those sent while it lasted
 * too (their messages were dropped). None is held back here: each takes its turn in the pace line when it
 * runs, and one that today's budget cannot pay for waits for the next budget day (a timed message wakes it).
 */
export async function releaseWaiting(app: AppServices, why: string): Promise<Enqueued> {
  const due = await dueJobs(app.db, RELEASE_LIMIT, new Date(), { resend: true });
  const affordable = (await admitBatch(app)).today;
  const sent = await sendJobs(app, due, why);
  log("info", "waiting jobs released", { why, jobs: due.length, sent });
  return { due: due.length, affordable, enqueued: sent ? due.length : 0, skippedForBudget: 0 };
}

/** Sync resumed after an outage: the incident closes and every waiting job is sent now. */
export async function resumeAfterOutage(app: AppServices): Promise<Enqueued> {
  await resolveIncident(app, "zoho_unavailable");
  const sent = await releaseWaiting(app, "resume after outage");
  log("info", "sync resumed after an outage", sent);
  return sent;
}

/** Jobs due before the next sweep without a message of their own get one, timed for their turn. */
export async function armUpcoming(app: AppServices, now = new Date()): Promise<number> {
  const upcoming = await upcomingJobs(app.db, new Date(now.getTime() + UPCOMING_WINDOW_MS), RELEASE_LIMIT, now);
  return (await sendTimed(app, upcoming, "due before the next sweep", now)) ? upcoming.length : 0;
}
