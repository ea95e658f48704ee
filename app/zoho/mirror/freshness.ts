// How fresh a sync decision's copy of Zoho's directory is, and who pays to make it fresher (decision 042). Pure,
// so the rules read as a table (freshness.test.ts):
//  - a decision refreshes a copy older than MIRROR_FRESH_SECONDS only while today's sync share has room (more than
//    half left) AND the mirror's own share has calls beyond what it keeps for the rest of the day's scheduled reads
//    (2 an hour: contacts and invoices) and, while a weekly pass is due or under way, one step of it. The refresh is
//    paid from the mirror's share, never the sync share: the sync share pays only for creates and live fallbacks;
//  - a copy read within MIRROR_CURRENT_MS (the hourly reads working) is current: a new customer whose email it
//    does not hold is created at once and checked against the mirror after its next read (0 calls); an older copy
//    (the scheduled reads failing) is not trusted for that, and a live look comes first as before the mirror.

/** Pages one run of the hourly maintenance reads at most of a full read or pass (under Zoho's 100 calls a minute). */
export const FULL_READ_PAGES_PER_RUN = 20;
/** Scheduled incremental reads an hour (contacts and invoices, app/zoho/mirror/read.server.ts hourlyMirror). */
export const SCHEDULED_READS_PER_HOUR = 2;
/** A copy read more recently than this is current (two hourly reads may fail before it is not). */
export const MIRROR_CURRENT_MS = 3 * 3600_000;
/** A decision refreshes only while more than this share of today's sync budget is left (as create-policy.ts). */
export const ROOM_SHARE = 0.5;

/** Calls the mirror's share keeps for the scheduled reads left in today's budget day (a started hour counts whole). */
export function scheduledReadsLeft(now: Date, dayEnd: Date): number {
  const hours = Math.max(0, Math.ceil((dayEnd.getTime() - now.getTime()) / 3600_000));
  return hours * SCHEDULED_READS_PER_HOUR;
}

export type RefreshBudget = {
  /** Today's sync share: calls left, and the whole share. */
  syncLeft: number;
  syncCap: number;
  /** Today's mirror share: calls left. */
  mirrorLeft: number;
  /** scheduledReadsLeft(now, end of the budget day). */
  scheduledReads: number;
  /** A weekly full pass is due or under way (it takes up to a step's pages a run from the same share). */
  passPending: boolean;
};

/** Whether a sync decision may refresh a stale copy now (paid from the mirror's share). */
export function decisionMayRefresh(b: RefreshBudget): boolean {
  if (b.syncLeft <= b.syncCap * ROOM_SHARE) return false; // under budget pressure: the copy as it is
  const kept = b.scheduledReads + (b.passPending ? FULL_READ_PAGES_PER_RUN : 0);
  return b.mirrorLeft > kept;
}

/** fresh: read within the freshness window; current: read recently enough to create against without a live look. */
export function copyAge(refreshedAt: Date | null, now: Date, freshSeconds: number): { fresh: boolean; current: boolean } {
  const age = refreshedAt ? now.getTime() - refreshedAt.getTime() : Infinity;
  return { fresh: age <= freshSeconds * 1000, current: age <= MIRROR_CURRENT_MS };
}
