// What sync may spend, in numbers (pure): the calls a job takes from the minute's pace before it starts (the
// admit phase), and how many jobs a share of the daily budget lets go (the sweep, the backlog release after an
// outage, an admin's "retry all failed", a backfill).
import type { SyncAction } from "./vocabulary";

// A job costs 1–3 calls (create: 1; match: 1–3; retry after a crash: 2). Keep room for the worst case.
export const CALLS_PER_JOB_RESERVED = 3;

/** Jobs that `calls` of budget can pay for at the worst case. */
export const jobsAffordable = (calls: number) => Math.floor(calls / CALLS_PER_JOB_RESERVED);

/**
 * The calls a job needs at the least: a new customer's lookup and create (one upsert with a unique field), a
 * profile update's read and one write, else one.
 */
export function plannedCalls(action: SyncAction, uniqueField: string | undefined) {
  return (action === "create" && !uniqueField) || action === "update_contact" ? 2 : 1;
}
