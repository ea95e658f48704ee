// When will the waiting jobs be done if sync runs at the budget's maximum rate? Pure: today's remaining
// budget first, then a full day's sync budget per UTC day, each job reserving the calls the sweep reserves.

export type BacklogInput = {
  jobs: number;
  callsPerJob: number;
  remainingToday: number;
  dailyCap: number;
  callsPerMinute: number;
  now: Date;
};

export type BacklogEta = { finishesAt: Date | null; days: number; perDay: number };

const DAY_MS = 86_400_000;
const nextUtcMidnight = (now: Date) => Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);

/** finishesAt null: nothing waits (jobs = 0) or the budget allows no sync at all (never). */
export function backlogEta(i: BacklogInput): BacklogEta {
  const perDay = Math.floor(i.dailyCap / i.callsPerJob);
  if (i.jobs <= 0) return { finishesAt: null, days: 0, perDay };
  const minutes = (jobs: number) => Math.ceil((jobs * i.callsPerJob) / i.callsPerMinute) * 60_000;
  const today = Math.floor(i.remainingToday / i.callsPerJob);
  if (i.jobs <= today) return { finishesAt: new Date(i.now.getTime() + minutes(i.jobs)), days: 0, perDay };
  if (perDay <= 0) return { finishesAt: null, days: Infinity, perDay };
  const rest = i.jobs - today;
  const days = Math.ceil(rest / perDay);
  const lastDayJobs = rest - (days - 1) * perDay;
  return { finishesAt: new Date(nextUtcMidnight(i.now) + (days - 1) * DAY_MS + minutes(lastDayJobs)), days, perDay };
}
