// When will the sync backlog be done? A pure estimate from the two things that bound sync: the per-minute
// pace (ZOHO_CALLS_PER_MINUTE) and the daily sync share (what is left today, then a whole share per UTC day).
// Jobs the pace turns away wait in line, in slots the pace's own rate apart (pace-line.server.ts), so the
// backlog takes its calls ÷ the pace; jobs out of budget wake in the first minutes of the next UTC day
// (nextBudgetDay). And the backlog is never done before its last job is due: a job already in line (or
// backing off after a failure) runs at its scheduled time, not earlier.
// Assumes the pace is what binds: a Worker short of CPU (a local machine under a burst) drains more slowly.
export const NEXT_DAY_WAKE_MINUTES = 5;

export type BacklogInput = {
  /** Sync jobs not yet processed. */
  openJobs: number;
  /** Zoho calls per finished job lately (1 when nothing finished yet). */
  callsPerJob: number;
  perMinute: number;
  /** Calls left in today's sync share. */
  remainingToday: number;
  dailyShare: number;
  /** When the last open job is due (its scheduled time), if any. */
  lastDueAt?: Date | null;
  now: Date;
};

export type BacklogEta = { calls: number; finishesAt: Date | null; days: number };

const MINUTE = 60_000;

export function backlogEta(input: BacklogInput): BacklogEta {
  const calls = Math.ceil(Math.max(0, input.openJobs) * Math.max(0, input.callsPerJob));
  if (calls === 0) return { calls, finishesAt: input.now, days: 0 };
  if (input.perMinute <= 0 || (input.dailyShare <= 0 && calls > input.remainingToday)) return { calls, finishesAt: null, days: 0 };
  const paced = (n: number) => n / input.perMinute;
  const notBeforeLastDue = (t: number) => new Date(Math.max(t, input.lastDueAt?.getTime() ?? 0));
  if (calls <= input.remainingToday) return { calls, finishesAt: notBeforeLastDue(input.now.getTime() + paced(calls) * MINUTE), days: 0 };
  const rest = calls - Math.max(0, input.remainingToday);
  const fullDays = Math.floor((rest - 1) / input.dailyShare);
  const lastDay = rest - fullDays * input.dailyShare;
  const n = input.now;
  const start = Date.UTC(n.getUTCFullYear(), n.getUTCMonth(), n.getUTCDate() + 1 + fullDays) + NEXT_DAY_WAKE_MINUTES * MINUTE;
  return { calls, finishesAt: notBeforeLastDue(start + paced(lastDay) * MINUTE), days: fullDays + 1 };
}
