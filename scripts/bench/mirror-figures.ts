// The mirror bench's arithmetic (scripts/bench/mirror.ts), pure so it reads as a table in mirror-figures.test.ts:
// how many customers a day's sync share serves from measured calls per kind of customer, and how long the first
// full read takes at the configured share.

/** The reference mix of issue 20 (per cent of the customers who register): new, returning by email, by name only. */
export const REFERENCE_MIX = { new: 60, byEmail: 30, byName: 10 } as const;
export type Kind = keyof typeof REFERENCE_MIX;
export type KindCosts = Record<Kind, number>;
export type Mix = Record<Kind, number>;

/** The shares at the defaults (app/env.server.ts): ZOHO_DAILY_CALL_LIMIT − orders − admin − the mirror's. */
export const DEFAULT_SHARES = { limit: 500, orders: 30, admin: 20, mirror: 100 } as const;
export const DEFAULT_SYNC_SHARE = DEFAULT_SHARES.limit - DEFAULT_SHARES.orders - DEFAULT_SHARES.admin - DEFAULT_SHARES.mirror;

/** Calls per customer over a mix (weights need not sum to 1). */
export function mixCost(mix: Mix, costs: KindCosts): number {
  const weight = mix.new + mix.byEmail + mix.byName;
  return (mix.new * costs.new + mix.byEmail * costs.byEmail + mix.byName * costs.byName) / weight;
}

export type DayInput = {
  /** The day's sync share in calls. */
  share: number;
  /** Decisions refresh the mirror only while more than this fraction of the sync share is left (0.5). */
  roomShare: number;
  mix: Mix;
  /** Sync-share calls per customer of each kind whose decision refreshed the copy first (the read is the mirror's). */
  refreshed: KindCosts;
  /** Sync-share calls per customer of each kind decided on the copy as it is (budget pressure, or no refresh left). */
  asIs: KindCosts;
  /** Decisions a day the mirror's share refreshes for (its share less its scheduled reads; Infinity: shared in bursts). */
  refreshes: number;
  /** Sync-share calls of a new customer's deferred duplicate check (0 when it reads the mirror). */
  deferredCheck: number;
};

/**
 * Customers a day's sync share serves, customers spread over the day: while the sync share has room and the
 * mirror's share has refreshes to give, decisions refresh first (the `refreshed` costs); the rest decide on the copy
 * as it is (the `asIs` costs). Every new customer's deferred check is paid from the same share.
 */
export function customersPerDay(d: DayInput): { refreshed: number; asIs: number; total: number } {
  const newShare = d.mix.new / (d.mix.new + d.mix.byEmail + d.mix.byName);
  const withCheck = (costs: KindCosts) => mixCost(d.mix, costs) + newShare * d.deferredCheck;
  const refreshed = Math.min(d.refreshes, (d.share * (1 - d.roomShare)) / withCheck(d.refreshed));
  const asIs = Math.max(0, d.share - refreshed * withCheck(d.refreshed)) / withCheck(d.asIs);
  return { refreshed: Math.floor(refreshed), asIs: Math.floor(asIs), total: Math.floor(refreshed + asIs) };
}

/** Decisions a day the mirror's share can refresh for, customers spread out: its share less its 48 scheduled reads. */
export const REFRESHES_PER_DAY = DEFAULT_SHARES.mirror - 24 * 2;

export type FullReadInput = {
  /** Calls the whole first full read takes (the mark, every contact page, every invoice page). */
  calls: number;
  /** MIRROR_FULL_READ_DAILY_CALLS. */
  dailyShare: number;
  /** Pages one run of the hourly maintenance reads at most (FULL_READ_PAGES_PER_RUN). */
  pagesPerRun: number;
  /** Minutes between runs (60: the hourly cron). */
  runEveryMinutes: number;
  /** Seconds one page takes (call + store), measured. */
  secondsPerCall: number;
};

/**
 * Wall minutes from the first run of the full read to its last page, starting at the beginning of a budget day:
 * each run reads up to `pagesPerRun` pages while today's share lasts; a used-up share waits for the next day's
 * first run. The runs read nothing else until the full read is done.
 */
export function fullReadWallMinutes(d: FullReadInput): { minutes: number; runs: number; days: number } {
  if (d.calls <= 0) return { minutes: 0, runs: 0, days: 0 };
  if (d.dailyShare <= 0 || d.pagesPerRun <= 0) return { minutes: Infinity, runs: 0, days: Infinity };
  const runsPerDay = Math.floor(1440 / d.runEveryMinutes);
  let left = d.calls;
  let runs = 0;
  for (let day = 0; ; day++) {
    let shareLeft = d.dailyShare;
    for (let run = 0; run < runsPerDay && shareLeft > 0; run++) {
      const pages = Math.min(d.pagesPerRun, shareLeft, left);
      runs++;
      left -= pages;
      shareLeft -= pages;
      if (left === 0) {
        const minutes = day * 1440 + run * d.runEveryMinutes + (pages * d.secondsPerCall) / 60;
        return { minutes, runs, days: minutes / 1440 };
      }
    }
  }
}

/** Contact pages + invoice pages + the mark, at 200 a page: the calls a full read of a directory this size takes. */
export const fullReadCalls = (contacts: number, invoices: number, perPage = 200) => 1 + Math.max(1, Math.ceil(contacts / perPage)) + Math.max(1, Math.ceil(invoices / perPage));
