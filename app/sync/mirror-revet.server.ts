// The I/O shell of app/sync/mirror-revet.ts: after the mirror saw Zoho change (an incremental read, a webhook's
// re-read, the weekly full pass, a 404), every linked customer whose contact is out of step is re-vetted from the
// mirror alone (no Zoho call), one customer per transaction with their row locked, so a replay or two runs at
// once change nothing twice. Each change is written to the customer (status, reason, the note admins read) and to
// their sync timeline.
import { eq } from "drizzle-orm";
import type { Db, DbOrTx } from "~/db/client.server";
import { customers, zohoSyncEvents } from "~/db/schema";
import { log } from "~/log.server";
import { activeContactsByEmail, linksToVet, markContactDeleted, mirroredContact } from "~/zoho/mirror/store.server";
import { existingLinks, isContactTaken, isEmailVerified } from "./link-vetting.server";
import { revetOnZohoChange, type MirrorRevetVerdict } from "./mirror-revet";
import { ZOHO_SIDE_REASONS } from "./vocabulary";

/** The timeline's action for these rows. */
export const ZOHO_CHANGE_ACTION = "link_revetted_zoho";

export type RevetCounts = { checked: number; ended: number; review: number; relinked: number; restored: number };

/**
 * Re-vets the links out of step with the mirror (only those to `contactIds` when given). `relink: false` (after a
 * webhook delivery): a merge's re-link waits for the next scheduled read. Deliveries arrive in any order, so the copy
 * may know the merge before it knows every contact with the customer's email; one active contact in the copy is
 * then no proof that Zoho has only one (a read of every change since the last, in one answer, is). Reviews and
 * ended links still happen at once: with part of the picture they can only be too careful, never link anyone.
 */
export async function revetLinksFromMirror(db: Db, contactIds?: string[], opts: { relink?: boolean } = {}): Promise<RevetCounts> {
  const counts: RevetCounts = { checked: 0, ended: 0, review: 0, relinked: 0, restored: 0 };
  for (const customerId of await linksToVet(db, ZOHO_SIDE_REASONS, contactIds)) {
    counts.checked++;
    try {
      const verdict = await db.transaction((tx) => revetOne(tx, customerId, undefined, opts.relink ?? true));
      if (verdict.kind === "end") counts.ended++;
      else if (verdict.kind === "review") counts.review++;
      else if (verdict.kind === "relink") counts.relinked++;
      else if (verdict.kind === "restore") counts.restored++;
    } catch (error) {
      // Another account took the survivor at the same moment: the next run sends this one to review.
      if (!isContactTaken(error)) throw error;
      log("warn", "a re-link after a merge lost a race for the contact", { customerId });
    }
  }
  if (counts.ended || counts.review || counts.relinked || counts.restored) log("info", "links re-vetted after Zoho changes", counts);
  return counts;
}

/**
 * Zoho answered that a contact read by id does not exist (a profile update's read, an admin's link check; decision
 * 043): the mirror's row, if it has one, is marked deleted, and every link to the contact is re-vetted at once in the
 * caller's transaction, whether or not the mirror is on or complete (no row is made up: the mirror holds only what
 * Zoho answered). `suggestFromMirror`: the mirror is on and complete, so its contacts with the customer's email are
 * offered as candidates (a copy left from when it was on could be stale). No Zoho call.
 */
export async function contactGoneInZoho(tx: DbOrTx, contactId: string, opts: { suggestFromMirror: boolean }): Promise<RevetCounts> {
  const counts: RevetCounts = { checked: 0, ended: 0, review: 0, relinked: 0, restored: 0 };
  await markContactDeleted(tx, contactId);
  const linked = await tx.select({ id: customers.id }).from(customers).where(eq(customers.zohoContactId, contactId));
  for (const { id } of linked) {
    counts.checked++;
    if ((await revetOne(tx, id, { contactId, ...opts })).kind === "end") counts.ended++;
  }
  if (counts.ended) log("info", "links ended: Zoho answered that the contact does not exist", { contactId, ended: counts.ended });
  return counts;
}

async function revetOne(tx: DbOrTx, customerId: string, gone?: { contactId: string; suggestFromMirror: boolean }, relink = true): Promise<MirrorRevetVerdict> {
  const [customer] = await tx.select().from(customers).where(eq(customers.id, customerId)).for("update");
  if (!customer?.zohoContactId) return { kind: "none" };
  const row = await mirroredContact(tx, customer.zohoContactId);
  const goneNow = gone?.contactId === customer.zohoContactId;
  if (!row && !goneNow) return { kind: "none" };
  const contact = row
    ? { contactId: row.contactId, name: row.name, email: row.email, status: row.status, deleted: !!row.deletedAt || goneNow, changedAt: row.lastModifiedTime }
    : { contactId: customer.zohoContactId, name: customer.zohoContactName ?? "", email: customer.zohoContactEmail ?? "", status: "active", deleted: true, changedAt: new Date() };
  const suggest = !gone || gone.suggestFromMirror;
  const others = suggest ? (await activeContactsByEmail(tx, customer.email)).filter((c) => c.contactId !== contact.contactId) : [];
  const taken = new Set((await existingLinks(tx, others.map((c) => c.contactId), customer.id)).map((l) => l.contactId));
  const survivors = others.map((c) => ({ contactId: c.contactId, contactName: c.name, email: c.email || null, companyName: c.company || null, linkedElsewhere: taken.has(c.contactId) }));
  const verdict = revetOnZohoChange({ customer, contact, emailVerified: await isEmailVerified(tx, customer), survivors });
  if (verdict.kind === "none" || (verdict.kind === "relink" && !relink)) return { kind: "none" };

  const now = new Date();
  const event = { customerId, action: ZOHO_CHANGE_ACTION, zohoCalls: 0, details: { contactId: contact.contactId } as Record<string, unknown> };
  switch (verdict.kind) {
    case "end":
      await tx
        .update(customers)
        .set({
          zohoSyncStatus: "skipped",
          zohoReviewReason: verdict.reason,
          zohoSyncError: verdict.text,
          zohoSyncCandidates: verdict.candidates.length ? verdict.candidates : null,
          zohoContactId: null,
          zohoLinkBasis: null,
          zohoLinkedAt: null,
          updatedAt: now,
        })
        .where(eq(customers.id, customerId));
      await tx.insert(zohoSyncEvents).values({ ...event, outcome: "skipped", error: verdict.text, details: { ...event.details, why: verdict.reason } });
      break;
    case "review":
      await tx
        .update(customers)
        .set({ zohoSyncStatus: "skipped", zohoReviewReason: verdict.reason, zohoSyncError: verdict.text, zohoSyncCandidates: verdict.candidates, updatedAt: now })
        .where(eq(customers.id, customerId));
      await tx.insert(zohoSyncEvents).values({ ...event, outcome: "skipped", error: verdict.text, details: { ...event.details, why: verdict.reason } });
      break;
    case "relink":
      await tx
        .update(customers)
        .set({
          zohoSyncStatus: "synced",
          zohoReviewReason: null,
          zohoSyncError: null,
          zohoSyncCandidates: null,
          zohoContactId: verdict.to.contactId,
          zohoContactName: verdict.to.contactName,
          zohoContactEmail: verdict.to.email,
          zohoMatchType: "email",
          zohoLinkBasis: "verified_email",
          zohoLinkedAt: now,
          updatedAt: now,
        })
        .where(eq(customers.id, customerId));
      await tx.insert(zohoSyncEvents).values({ ...event, outcome: "synced", matchType: "email", details: { ...event.details, why: "merged", to: verdict.to.contactId } });
      break;
    case "restore":
      await tx
        .update(customers)
        .set({ zohoSyncStatus: verdict.status, zohoReviewReason: null, zohoSyncError: null, zohoSyncCandidates: null, updatedAt: now })
        .where(eq(customers.id, customerId));
      await tx.insert(zohoSyncEvents).values({ ...event, outcome: verdict.status, details: { ...event.details, why: "contact_as_before" } });
      break;
  }
  return verdict;
}
