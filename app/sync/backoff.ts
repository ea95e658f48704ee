// When is the next attempt? Pure, so the schedule can be read and tested as a table.
import { DEFAULT_DAY_TIMEZONE, nextBudgetDayStart } from "~/common/budget-day";

export const MAX_ATTEMPTS = 3;
const BASE_DELAY_MS = 2 * 60_000; // 2 min, then 8 min (×4) between the three attempts
const FACTOR = 4;
const JITTER = 0.2; // ±20 % so jobs that failed together do not retry together

/** Delay after the `attempt`-th failed attempt (1-based), with jitter from `random` in [0, 1). */
export function retryDelayMs(attempt: number, random: number) {
  const base = BASE_DELAY_MS * FACTOR ** Math.max(0, attempt - 1);
  return Math.round(base * (1 - JITTER + 2 * JITTER * random));
}

/** Zoho's 429 carries no Retry-After: wait a minute window plus jitter, on our own schedule. */
export function rateLimitDelayMs(random: number) {
  return 60_000 + Math.round(60_000 * random);
}

/** Zoho's 1070 (too many calls in flight): they finish in seconds, so a short pause with jitter. */
export function concurrencyDelayMs(random: number) {
  return 5_000 + Math.round(10_000 * random);
}

/** Our own daily budget is gone: the next budget day (the ledger's day, UTC by default), staggered over its first minutes. */
export function nextBudgetDay(now: Date, random: number, zone = DEFAULT_DAY_TIMEZONE) {
  return new Date(nextBudgetDayStart(now, zone).getTime() + Math.round(10 * 60_000 * random));
}

/**
 * Zoho's own daily limit (code 45): Zoho does not say when its day resets, so instead of sleeping to a midnight
 * that may not be Zoho's, look again in about an hour (one call per waiting job, refused without cost).
 */
export function zohoDailyRecheckDelayMs(random: number) {
  return 60 * 60_000 + Math.round(5 * 60_000 * random);
}
