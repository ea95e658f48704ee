// The names the sync engine and its tables share: customer sync statuses, job actions, how a link was
// made and proven, why a customer waits for review, the shape of a Zoho candidate, and the outcomes written
// to the timeline. The schema's check constraints are built from these lists, so a name exists in exactly
// one place. This module sits at the bottom of the house: it imports nothing of the app.

export const SYNC_STATUSES = ["pending", "syncing", "synced", "failed", "skipped", "manual"] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

/**
 * create: a customer who said "new"; match: a returning customer (look up, never create);
 * retry: an admin retry of a "new" customer; match_or_create: look first, create only when nothing matches
 * (backfill of customers who registered before sync existed, the likeliest to be in Zoho already);
 * check_duplicate: a low-priority look, after a create made without looking (budget pressure), for a
 * second contact with the same email (flagged for an admin, never merged automatically);
 * update_contact: a linked customer's edited name, mobile number or delivery address sent to their Zoho contact
 * (app/sync/profile-update.ts; it never links or unlinks, and may be open beside one other job of the customer).
 */
export const SYNC_ACTIONS = ["create", "match", "retry", "match_or_create", "check_duplicate", "update_contact"] as const;
export type SyncAction = (typeof SYNC_ACTIONS)[number];

export const MATCH_TYPES = ["email", "name", "created", "upsert", "adopted", "manual"] as const;
export type MatchType = (typeof MATCH_TYPES)[number];
export type AutoMatchType = Exclude<MatchType, "manual">;

/** How a link was established (app/sync/link-policy.ts); only these open the order history (app/customers/history-access.ts). */
export const LINK_BASES = ["verified_email", "created", "admin"] as const;
export type LinkBasis = (typeof LINK_BASES)[number];

export const REVIEW_REASONS = [
  "name_only",
  "contact_already_linked",
  "several_matches",
  "unverified",
  "no_match",
  "sync_error",
  "unlinked",
  "email_changed",
  "inactive_contact",
  "email_too_long",
  "possible_duplicate",
  "contact_deleted",
  "contact_inactive",
  "contact_merged",
  "zoho_email_changed",
  "profile_conflict",
] as const;
/**
 * Why a customer waits for an admin (machine-readable: the list filters by it). It stands while the customer is
 * skipped or failed; possible_duplicate also on a synced customer (linked, but a second Zoho contact has the email).
 */
export type ReviewReason = (typeof REVIEW_REASONS)[number];

export const REVIEW_REASON_LABEL: Record<ReviewReason, string> = {
  name_only: "Matched by name only",
  contact_already_linked: "Contact already linked to another account",
  several_matches: "Several Zoho contacts match",
  unverified: "Email not verified",
  no_match: "No Zoho contact found",
  sync_error: "Sync error",
  unlinked: "Unlinked by an admin",
  email_changed: "Email changed since the link was proven",
  inactive_contact: "Zoho contact is inactive",
  email_too_long: "Email too long for Zoho",
  possible_duplicate: "Possible duplicate contact in Zoho",
  contact_deleted: "Linked Zoho contact was deleted",
  contact_inactive: "Linked Zoho contact made inactive",
  contact_merged: "Linked Zoho contact merged into another",
  zoho_email_changed: "Email changed in Zoho",
  profile_conflict: "Details edited in Zoho and by the customer",
};

/**
 * Review reasons set when the mirror saw the linked contact change in Zoho (app/sync/mirror-revet.ts): while a
 * customer waits for one of them, the order history is hidden (app/customers/history-access.ts).
 */
export const ZOHO_SIDE_REASONS = ["contact_deleted", "contact_inactive", "contact_merged", "zoho_email_changed"] as const satisfies readonly ReviewReason[];

/**
 * Review reasons that stand on a linked customer (synced or manual), not only while skipped or failed: the list's
 * filter and the partial index customers_review_reason_idx spell the same condition.
 */
export const LINKED_REVIEW_REASONS = ["possible_duplicate", "profile_conflict"] as const satisfies readonly ReviewReason[];

/** A Zoho contact offered to an admin (kept on the customer when several match or a link waits for review). */
export type ZohoCandidate = {
  contactId: string;
  contactName: string;
  email: string | null;
  companyName: string | null;
};

/** Where a linked customer's edits stand on their way to Zoho (zoho_profile_updates.status; app/sync/profile-update.ts). */
export const PROFILE_UPDATE_STATES = ["pending", "sent", "conflict", "failed", "not_sent"] as const;
export type ProfileUpdateState = (typeof PROFILE_UPDATE_STATES)[number];
/** The details a customer edits that flow to Zoho; `address` null: pickup (no delivery address). */
export type ProfileAddress = { address: string; street2: string; city: string; state: string; zip: string };
export type ProfileFields = { firstName: string; lastName: string; phone: string; address: ProfileAddress | null };
/** A field both the customer and someone in Zoho changed: both values, for an admin. */
export type ProfileConflict = { field: "name" | "phone" | "address"; portal: string; zoho: string };

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
  /** A last attempt kept: Zoho failed and no health probe has said yet whether it is down for everyone. */
  waitingHealthCheck: "waiting_health_check",
  possibleDuplicate: "possible_duplicate",
  /** A profile update: sent to Zoho, held because Zoho's copy changed the same field, or not sent (the link changed). */
  profileSent: "profile_sent",
  profileConflict: "profile_conflict",
  profileNotSent: "profile_not_sent",
} as const;
export type Outcome = (typeof OUTCOMES)[keyof typeof OUTCOMES];

/** SQL list literal for a check constraint, e.g. `('a', 'b')`. Only for constant vocabularies above. */
export const sqlList = (values: readonly string[]) => `(${values.map((v) => `'${v}'`).join(", ")})`;
