// The profile updates on their way to Zoho (zoho_profile_updates; docs/decisions/039-profile-updates-to-zoho.md):
// the only module that names the table. A linked customer's edit is stored here and an update job opened in the
// same transaction (app/customers/profile.server.ts); the sync run's admit phase reads the row, its settle phase
// stores what the run did (sent, held for review, not sent). Several edits before the run coalesce into one row.
import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "~/db/client.server";
import { customers, zohoProfileUpdates } from "~/db/schema";
import { openUpdateJob } from "./jobs/enqueue.server";
import { changedSince, profileFields, type PendingUpdate, type ProfileColumns } from "./profile-update";
import type { ProfileConflict, ProfileFields, ProfileUpdateState } from "./vocabulary";

export type ProfileUpdate = typeof zohoProfileUpdates.$inferSelect;


export async function profileUpdateOf(db: DbOrTx, customerId: string): Promise<ProfileUpdate | null> {
  const [row] = await db.select().from(zohoProfileUpdates).where(eq(zohoProfileUpdates.customerId, customerId));
  return row ?? null;
}

type EditedCustomer = ProfileColumns & { id: string; zohoContactId: string | null };

/**
 * A customer saved their details (inside the caller's transaction, the customer row locked). Linked: the edit joins
 * the pending update (or starts one, `base` being what Zoho was last sent, else the details before this edit) and
 * an update job is open; returns its id to send once committed. Not linked: nothing (the edit stays in the portal).
 */
export async function queueProfileUpdate(tx: DbOrTx, before: EditedCustomer, after: ProfileColumns, now = new Date()): Promise<string | null> {
  const contactId = before.zohoContactId;
  if (!contactId) return null;
  const wanted = profileFields(after);
  const row = await profileUpdateOf(tx, before.id);
  const sameContact = row?.contactId === contactId;
  // What Zoho is believed to hold: what we sent last to this contact, or, for a first edit, the portal's details
  // before it (what the create sent, or what the customer registered with).
  const base = sameContact && row.status !== "not_sent" ? row.base : profileFields(before);
  if (changedSince(base, wanted).length === 0 && (!row || (sameContact && row.status === "sent"))) return null;
  const values = { contactId, status: "pending" as const, wanted, base, conflicts: null, note: null, requestedAt: now, updatedAt: now };
  await tx
    .insert(zohoProfileUpdates)
    .values({ customerId: before.id, ...values, version: 1 })
    .onConflictDoUpdate({ target: zohoProfileUpdates.customerId, set: { ...values, version: sql`${zohoProfileUpdates.version} + 1` } });
  return openUpdateJob(tx, before.id, now);
}

/** The update an admitted update job sends, or null when there is nothing to send (the run then only closes). */
export async function pendingUpdate(db: DbOrTx, customer: { id: string; email: string }): Promise<PendingUpdate | null> {
  const row = await profileUpdateOf(db, customer.id);
  if (!row || row.status === "not_sent") return null;
  return { contactId: row.contactId, version: row.version, wanted: row.wanted, base: row.base, email: customer.email };
}

export type UpdateStored = {
  status: Extract<ProfileUpdateState, "sent" | "conflict">;
  version: number;
  base: ProfileFields;
  conflicts: ProfileConflict[];
  note: string | null;
};

/**
 * What a run did (inside settle's transaction). An edit saved meanwhile (a newer version) stays pending and gets
 * a new job: returns its id. The review reason follows the conflicts (set while any stands, cleared after).
 */
export async function storeUpdateOutcome(tx: DbOrTx, customerId: string, done: UpdateStored, now: Date): Promise<string | null> {
  const newer = await tx
    .update(zohoProfileUpdates)
    .set({ base: done.base, sentVersion: done.version, sentAt: done.status === "sent" ? now : undefined, updatedAt: now })
    .where(and(eq(zohoProfileUpdates.customerId, customerId), sql`${zohoProfileUpdates.version} > ${done.version}`))
    .returning({ id: zohoProfileUpdates.customerId });
  if (newer.length) return openUpdateJob(tx, customerId, now);
  await tx
    .update(zohoProfileUpdates)
    .set({ status: done.status, base: done.base, sentVersion: done.version, conflicts: done.conflicts.length ? done.conflicts : null, note: done.note, sentAt: now, updatedAt: now })
    .where(eq(zohoProfileUpdates.customerId, customerId));
  if (done.status === "conflict")
    await tx.update(customers).set({ zohoReviewReason: "profile_conflict", updatedAt: now }).where(and(eq(customers.id, customerId), sql`${customers.zohoReviewReason} is null`));
  else await tx.update(customers).set({ zohoReviewReason: null, updatedAt: now }).where(and(eq(customers.id, customerId), eq(customers.zohoReviewReason, "profile_conflict")));
  return null;
}

/** A run that ended without writing (gave up after its attempts): the customer's page says our team will look. */
export async function markUpdateFailed(tx: DbOrTx, customerId: string, now: Date) {
  await tx.update(zohoProfileUpdates).set({ status: "failed", updatedAt: now }).where(eq(zohoProfileUpdates.customerId, customerId));
}

/** Nothing was sent, and nothing will be for this edit (the link changed, the contact is gone): the reason is kept. */
export async function markUpdateNotSent(tx: DbOrTx, customerId: string, reason: string, now: Date) {
  await tx.update(zohoProfileUpdates).set({ status: "not_sent", note: reason, conflicts: null, updatedAt: now }).where(eq(zohoProfileUpdates.customerId, customerId));
  await tx.update(customers).set({ zohoReviewReason: null, updatedAt: now }).where(and(eq(customers.id, customerId), eq(customers.zohoReviewReason, "profile_conflict")));
}
