// The names the sync engine and its tables share: customer sync statuses, job actions, how a link was
// made, and the outcomes written to the timeline. The schema's check constraints are built from these
// lists, so a name exists in exactly one place.

export const SYNC_STATUSES = ["pending", "syncing", "synced", "failed", "skipped", "manual"] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

/**
 * create: a customer who said "new"; match: a returning customer (look up, never create);
 * retry: an admin retry of a "new" customer; match_or_create: look first, create only when nothing matches
 * (backfill of customers who registered before sync existed, the likeliest to be in Zoho already);
 * check_duplicate: a low-priority look, after a create made without looking (budget pressure), for a
 * second contact with the same email (flagged for an admin, never merged automatically).
 */
export const SYNC_ACTIONS = ["create", "match", "retry", "match_or_create", "check_duplicate"] as const;
export type SyncAction = (typeof SYNC_ACTIONS)[number];

export const MATCH_TYPES = ["email", "name", "created", "upsert", "adopted", "manual"] as const;
export type MatchType = (typeof MATCH_TYPES)[number];
export type AutoMatchType = Exclude<MatchType, "manual">;

/** Outcomes written to zoho_sync_events (the waiting_* ones are `waiting_${ZohoErrorKind}`). */
export const OUTCOMES = {
  queued: "queued",
  pending: "pending",
  synced: "synced",
  skipped: "skipped",
  failed: "failed",
  manual: "manual",
  retryScheduled: "retry_scheduled",
  leaseExpired: "lease_expired",
  pausedOutage: "paused_outage",
  possibleDuplicate: "possible_duplicate",
} as const;
export type Outcome = (typeof OUTCOMES)[keyof typeof OUTCOMES];

/** SQL list literal for a check constraint, e.g. `('a', 'b')`. Only for constant vocabularies above. */
export const sqlList = (values: readonly string[]) => `(${values.map((v) => `'${v}'`).join(", ")})`;
