// When will the sync backlog be done? One model (docs/decisions/032-one-eta-model.md) for the dashboard and for
// "Retry all failed": a pure function of the queue (how many jobs may start when), the calls per job, the daily
// sync share (what is left today, then a whole share per budget day: UTC unless ZOHO_DAY_TIMEZONE says otherwise) and
// the per-minute pace.
// It follows the jobs as the engine runs them: a job starts no earlier than its time (due now, its slot in the pace
// line, a retry's backoff, a later day of a spread-out retry or backfill); jobs drain at the pace; a job that
// today's share cannot pay for waits for the next budget day, where its timed message wakes it in the first
// minutes (nextBudgetDay), and each new day brings a whole share.
// Assumes the pace is what binds: a Worker short of CPU (a local machine under a burst) drains more slowly.
import { budgetDayStart, DEFAULT_DAY_TIMEZONE } from "~/common/budget-day";

/** Jobs held for the budget wake in the first 10 minutes of the next budget day (nextBudgetDay): 5 on average. */
export const NEXT_DAY_WAKE_MINUTES = 5;
/** Calls per job until jobs finish today: a new customer's email lookup and create. */
export const DEFAULT_CALLS_PER_JOB = 2;

/** `jobs` open jobs that may start at `at` (due ones: now). */
export type QueueSlice = { at: Date; jobs: number };

export type EtaInput = {
  queue: QueueSlice[];
  callsPerJob: number;
  perMinute: number;
  /** Calls left in today's sync share. */
  remainingToday: number;
  dailyShare: number;
  now: Date;
  /** The budget day's time zone (ZOHO_DAY_TIMEZONE; UTC by default). */
  zone?: string;
};

/** finishesAt null: never within the shares (a sync share of 0). days: budget days after today the backlog needs. */
export type BacklogEta = { jobs: number; calls: number; finishesAt: Date | null; days: number };

const MINUTE = 60_000;
const DAY = 86_400_000;
/** The start of the budget day `t` falls in, and of the day after the one starting at `day`. */
const dayStartIn = (zone: string) => (t: number) => budgetDayStart(new Date(t), zone).getTime();
const nextDayIn = (zone: string) => (day: number) => budgetDayStart(new Date(day), zone, 1).getTime();

/** Calls per finished job today (calls of runs that ended waiting left out), or the default before any finished. */
export function callsPerJob(today: { workCalls: number; finishedJobs: number }): number {
  return today.finishedJobs > 0 && today.workCalls > 0 ? today.workCalls / today.finishedJobs : DEFAULT_CALLS_PER_JOB;
}

export function backlogEta(input: EtaInput): BacklogEta {
  const queue = input.queue.filter((s) => s.jobs > 0).sort((a, b) => a.at.getTime() - b.at.getTime());
  const jobs = queue.reduce((n, s) => n + s.jobs, 0);
  const cpj = Math.max(0, input.callsPerJob);
  const calls = Math.ceil(jobs * cpj);
  const now = input.now.getTime();
  if (calls === 0) return { jobs, calls, finishesAt: input.now, days: 0 };
  if (input.perMinute <= 0) return { jobs, calls, finishesAt: null, days: 0 };
  const dayStart = dayStartIn(input.zone ?? DEFAULT_DAY_TIMEZONE);
  const nextDay = nextDayIn(input.zone ?? DEFAULT_DAY_TIMEZONE);
  const today = dayStart(now);
  let t = now;
  let day = today;
  let left = Math.max(0, input.remainingToday);
  for (const slice of queue) {
    t = Math.max(t, slice.at.getTime());
    let rest = slice.jobs * cpj;
    while (rest > 1e-9) {
      if (dayStart(t) > day) {
        // A new budget day: a whole share.
        day = dayStart(t);
        left = input.dailyShare;
      }
      if (left <= 1e-9) {
        // Held for the budget: the next day's share, after the morning wake-up.
        if (input.dailyShare <= 0) return { jobs, calls, finishesAt: null, days: 0 };
        t = Math.max(t, nextDay(day) + NEXT_DAY_WAKE_MINUTES * MINUTE);
        continue;
      }
      // At the pace, until the slice, the share or the day ends.
      const beforeDayEnd = ((nextDay(day) - t) / MINUTE) * input.perMinute;
      if (beforeDayEnd < 1e-9) {
        t = nextDay(day);
        continue;
      }
      const take = Math.min(rest, left, beforeDayEnd);
      t += (take / input.perMinute) * MINUTE;
      rest -= take;
      left -= take;
    }
  }
  return { jobs, calls, finishesAt: new Date(Math.round(t)), days: Math.round((dayStart(t) - today) / DAY) };
}

/**
 * How "Retry all failed" places its jobs: today's affordable share now, the rest `perDay` a day from the start
 * of each next budget day (the sweep's timed messages wake them then). Pure, so the plan the admin confirms is
 * the one that runs.
 */
export function spreadOverDays(total: number, today: number, perDay: number, now: Date, zone = DEFAULT_DAY_TIMEZONE): QueueSlice[] {
  const slices: QueueSlice[] = [];
  const first = Math.min(total, Math.max(0, today));
  if (first > 0) slices.push({ at: now, jobs: first });
  for (let done = first, k = 0; done < total; k++) {
    const n = Math.min(total - done, Math.max(1, perDay));
    slices.push({ at: budgetDayStart(now, zone, k + 1), jobs: n });
    done += n;
  }
  return slices;
}
