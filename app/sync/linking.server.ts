// Manual linking by an admin (EPIC 11): link a chosen Zoho contact (checked with Zoho first by the work
// phase, stored by the settle phase: app/sync/run/), or unlink. Both write the timeline with the admin who acted.
import { eq } from "drizzle-orm";
import { formatDateTime } from "~/common/format";
import type { AppServices } from "~/context.server";
import { customers, zohoSyncEvents } from "~/db/schema";
import { ZohoClient } from "~/zoho/client.server";
import { mirrorComplete, mirrorOn } from "~/zoho/mirror/state";
import { readMirrorState } from "~/zoho/mirror/store.server";
import { SyncActionError } from "./admin-actions.server";
import type { ExistingLink } from "./link-policy";
import { existingLinks, isContactTaken } from "./link-vetting.server";
import { toCandidate } from "./matching";
import { contactGoneInZoho } from "./mirror-revet.server";
import { writeAdminLink } from "./run/settle.server";
import { checkContactForLink } from "./run/work.server";

export const UNLINKED_MESSAGE = "Unlinked by an admin: link the right Zoho contact or retry the sync";

export class LinkError extends Error {}

/** Looks the contact up in Zoho (so a typo'd id is never saved), then links it as `manual`, closing any open job. */
export async function linkContact(app: AppServices, customerId: string, contactId: string, adminId: string, how: "link" | "confirm" = "link") {
  const client = new ZohoClient({ db: app.db, env: app.env, purpose: "admin", subject: { customerId, adminId } });
  const checked = await checkContactForLink(client, contactId);
  if (!checked.ok && checked.gone) {
    // Deleted in Zoho (or never made): a customer still linked to it loses the link now (decision 043).
    const suggestFromMirror = mirrorOn(app.env) && mirrorComplete(await readMirrorState(app.db));
    const { ended } = await app.db.transaction((tx) => contactGoneInZoho(tx, contactId, { suggestFromMirror }));
    throw new LinkError(ended ? `${checked.reason} It was deleted in Zoho Books: the link to it ended, and the customer who had it waits for review.` : checked.reason);
  }
  if (!checked.ok) throw new LinkError(checked.reason);
  const contact = checked.contact;
  try {
    await app.db.transaction(async (tx) => {
      const [customer] = await tx.select().from(customers).where(eq(customers.id, customerId)).for("update");
      if (!customer) throw new SyncActionError(404, "No customer with this id.");
      if (customer.zohoSyncStatus === "syncing") throw new LinkError("A sync for this customer is running right now; try again in a minute.");
      const [taken] = await existingLinks(tx, [contact.contact_id], customerId);
      if (taken) throw new LinkError(alreadyLinkedMessage(contact.contact_name, taken));
      await writeAdminLink(tx, customer, toCandidate(contact), { adminId, zohoCalls: client.calls, how });
    });
  } catch (error) {
    // Another account took the contact between our check and our write: the unique index refused it.
    if (isContactTaken(error)) throw new LinkError(`${contact.contact_name} was just linked to another account. Reload the page to see which one.`);
    throw error;
  }
  return contact;
}

export function alreadyLinkedMessage(contactName: string, taken: ExistingLink) {
  const since = taken.linkedAt ? ` since ${formatDateTime(taken.linkedAt)}` : "";
  return `${contactName} is already linked to ${taken.name} (${taken.email})${since}. A Zoho contact belongs to one account: unlink it there first.`;
}

export async function unlinkContact(app: AppServices, customerId: string, adminId: string) {
  await app.db.transaction(async (tx) => {
    const [customer] = await tx.select().from(customers).where(eq(customers.id, customerId)).for("update");
    if (!customer) throw new SyncActionError(404, "No customer with this id.");
    if (!customer.zohoContactId) throw new LinkError("This customer is not linked to a Zoho contact.");
    await tx
      .update(customers)
      .set({
        zohoSyncStatus: "failed",
        zohoSyncError: UNLINKED_MESSAGE,
        zohoContactId: null,
        zohoContactName: null,
        zohoContactEmail: null,
        zohoMatchType: null,
        zohoLinkBasis: null,
        zohoReviewReason: "unlinked",
        zohoLinkedAt: null,
        updatedAt: new Date(),
      })
      .where(eq(customers.id, customerId));
    await tx.insert(zohoSyncEvents).values({
      customerId,
      action: "admin_unlink",
      outcome: "failed",
      actorUserId: adminId,
      error: UNLINKED_MESSAGE,
      details: { contactId: customer.zohoContactId, contactName: customer.zohoContactName },
    });
  });
}

/**
 * Live search for the "Link manually" box. Anything with an "@" searches the primary email with
 * Zoho's `email_contains` (an admin types part of an address: "ana.reyes@"); `email` would need the
 * whole address exactly. Anything else searches names and notes.
 */
export async function searchContacts(app: AppServices, q: string, subject: { customerId?: string; adminId?: string } = {}) {
  const client = new ZohoClient({ db: app.db, env: app.env, purpose: "admin", subject });
  const term = q.trim();
  const page = term.includes("@")
    ? await client.listContacts({ emailContains: term, perPage: 10 })
    : await client.listContacts({ searchText: term, perPage: 10 });
  return { results: page.items.map(toCandidate), more: page.hasMore };
}
