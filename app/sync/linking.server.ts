// Manual linking by an admin (EPIC 11): link a chosen Zoho contact (verified with Zoho first), or
// unlink. Both close any open job and write the timeline with the admin who acted.
import { eq } from "drizzle-orm";
import { formatDateTime } from "~/common/format";
import type { AppServices } from "~/context.server";
import type { DbOrTx } from "~/db/client.server";
import { customers, zohoSyncEvents } from "~/db/schema";
import { ZohoClient } from "~/zoho/client.server";
import { ZohoError } from "~/zoho/errors";
import type { ZohoContact } from "~/zoho/types";
import { SyncActionError } from "./admin-actions.server";
import { closeOpenJob } from "./jobs.server";
import type { ExistingLink } from "./link-policy";
import { existingLinks, isContactTaken } from "./link-vetting.server";
import { toCandidate } from "./matching";
import type { ZohoCandidate } from "./vocabulary";

export const UNLINKED_MESSAGE = "Unlinked by an admin: link the right Zoho contact or retry the sync";

export class LinkError extends Error {}

/** Looks the contact up in Zoho (so a typo'd id is never saved), then links it as `manual`. */
export async function linkContact(app: AppServices, customerId: string, contactId: string, adminId: string, how: "link" | "confirm" = "link") {
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

/** The write of an admin's link (one customer, inside the caller's transaction): closes the open job, logs who did it. */
export async function writeAdminLink(
  tx: DbOrTx,
  customer: Pick<typeof customers.$inferSelect, "id" | "zohoContactId">,
  contact: ZohoCandidate,
  by: { adminId: string; zohoCalls: number; how: "link" | "confirm" | "confirm_all" },
) {
  const customerId = customer.id;
  const now = new Date();
  await closeOpenJob(tx, customerId, "Closed: linked manually by an admin", now);
  await tx
    .update(customers)
    .set({
      zohoSyncStatus: "manual",
      zohoContactId: contact.contactId,
      zohoContactName: contact.contactName,
      zohoContactEmail: contact.email,
      zohoMatchType: "manual",
      zohoLinkBasis: "admin",
      zohoReviewReason: null,
      zohoLinkedAt: now,
      zohoSyncError: null,
      zohoSyncCandidates: null,
      zohoFailureNotifiedAt: null,
      updatedAt: now,
    })
    .where(eq(customers.id, customerId));
  await tx.insert(zohoSyncEvents).values({
    customerId,
    action: by.how === "link" ? "admin_link" : by.how === "confirm" ? "admin_confirm" : "admin_confirm_all",
    outcome: "manual",
    matchType: "manual",
    zohoCalls: by.zohoCalls,
    actorUserId: by.adminId,
    details: { contactId: contact.contactId, contactName: contact.contactName, previousContactId: customer.zohoContactId },
  });
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
export async function searchContacts(app: AppServices, q: string) {
  const client = new ZohoClient({ db: app.db, env: app.env, purpose: "admin" });
  const term = q.trim();
  const page = term.includes("@")
    ? await client.listContacts({ emailContains: term, perPage: 10 })
    : await client.listContacts({ searchText: term, perPage: 10 });
  return { results: page.items.map(toCandidate), more: page.hasMore };
}
