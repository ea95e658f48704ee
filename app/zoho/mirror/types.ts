// What the sync's work phase is handed of the mirror (app/zoho/mirror/): a port, so the work phase reaches no
// database module. Pure types only.
import type { ZohoContact } from "../types";

/**
 * The mirror's answer for an email: `usable: false` while its first full read is not complete (sync looks up
 * live, as it always did); otherwise the customer contacts whose primary email is this one (any status), from a
 * copy refreshed first when it was older than MIRROR_FRESH_SECONDS and the budgets allowed (`fresh`: read within
 * MIRROR_FRESH_SECONDS; `current`: within MIRROR_CURRENT_MS, the scheduled reads working; freshness.ts).
 */
export type MirrorAnswer = { usable: false } | { usable: true; fresh: boolean; current: boolean; contacts: ZohoContact[] };

/**
 * The free duplicate check's answer: `usable: false` unless the mirror is on, complete and its contacts were read
 * after `after` (then every contact Zoho had with the email by then is in the copy); otherwise the customer
 * contacts whose primary email is this one. Never refreshes: 0 calls.
 */
export type MirrorSeen = { usable: false } | { usable: true; contacts: ZohoContact[] };

export interface MirrorLookup {
  byEmail(email: string): Promise<MirrorAnswer>;
  sameEmailReadAfter(email: string, after: Date): Promise<MirrorSeen>;
  /**
   * Active customer contacts whose name contains `term` (any case), at most 400, as Zoho's `contact_name_contains`
   * search would list them; null while the mirror is not usable (search Zoho). Never refreshes: 0 calls.
   */
  namedLike(term: string): Promise<ZohoContact[] | null>;
}
