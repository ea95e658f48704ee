// Manual linking by an admin (EPIC 11): link a chosen Zoho contact (verified with Zoho first), or
// unlink. Both close any open job and write the timeline with the admin who acted.
import { eq } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import { customers, zohoSyncEvents } from "~/db/schema";
import { ZohoClient } from "~/zoho/client.server";
import { ZohoError } from "~/zoho/errors";
import type { ZohoContact } from "~/zoho/types";
import { SyncActionError } from "./admin-actions.server";
import { closeOpenJob } from "./jobs.server";
import { toCandidate } from "./matching";

export const UNLINKED_MESSAGE = "Unlinked by an admin: link the right Zoho contact or retry the sync";

export class LinkError extends Error {}

/** Looks the contact up in Zoho (so a typo'd id is never saved), then links it as `manual`. */
export async function linkContact(app: AppServices, customerId: string, contactId: string, adminId: string) {
  const client = new ZohoClient({ db: app.db, env: app.env, purpose: "admin" });
  let contact: ZohoContact;
  try {
    contact = await client.getContact(contactId);
  } catch (error) {
    if (error instanceof ZohoError && error.kind === "not_found") throw new LinkError(`Zoho Books has no contact with id ${contactId}.`);
    if (error instanceof ZohoError) throw new LinkError(`Could not check the contact with Zoho: ${error.message}`);
    throw error;
  }
  if (contact.contact_type && contact.contact_type !== "customer") throw new LinkError(`${contact.contact_name} is a ${contact.contact_type} in Zoho, not a customer.`);
  await app.db.transaction(async (tx) => {
    const [customer] = await tx.select().from(customers).where(eq(customers.id, customerId)).for("update");
    if (!customer) throw new SyncActionError(404, "No customer with this id.");
    if (customer.zohoSyncStatus === "syncing") throw new LinkError("A sync for this customer is running right now; try again in a minute.");
    const now = new Date();
    await closeOpenJob(tx, customerId, "Closed: linked manually by an admin", now);
    await tx
      .update(customers)
      .set({
        zohoSyncStatus: "manual",
        zohoContactId: contact.contact_id,
        zohoContactName: contact.contact_name,
        zohoMatchType: "manual",
        zohoLinkedAt: now,
        zohoSyncError: null,
        zohoSyncCandidates: null,
        zohoFailureNotifiedAt: null,
        updatedAt: now,
      })
      .where(eq(customers.id, customerId));
    await tx.insert(zohoSyncEvents).values({
      customerId,
      action: "admin_link",
      outcome: "manual",
      matchType: "manual",
      zohoCalls: client.calls,
      actorUserId: adminId,
      details: { contactId: contact.contact_id, contactName: contact.contact_name, previousContactId: customer.zohoContactId },
    });
  });
  return contact;
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
        zohoMatchType: null,
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

const EMAIL_LIKE = /^[^\s@]+@[^\s@]+$/;

/** Live search for the "Link manually" box: by email when it looks like one, else by any text. */
export async function searchContacts(app: AppServices, q: string) {
  const client = new ZohoClient({ db: app.db, env: app.env, purpose: "admin" });
  const term = q.trim();
  const page = EMAIL_LIKE.test(term)
    ? await client.listContacts({ email: term.toLowerCase(), perPage: 10 })
    : await client.listContacts({ searchText: term, perPage: 10 });
  return { results: page.items.map(toCandidate), more: page.hasMore };
}
