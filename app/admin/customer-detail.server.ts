// Everything the customer detail page shows: the customer, their open job, the timeline, the link to Zoho.
import { desc, eq } from "drizzle-orm";
import { sameEmail } from "~/common/email-address";
import type { DbOrTx } from "~/db/client.server";
import { customers, users, zohoSyncEvents } from "~/db/schema";
import { openJobFor } from "~/sync/jobs/counts.server";
import { existingLinks } from "~/sync/link-vetting.server";
import { contactWebUrl } from "~/zoho/regions";
import { compareIdentity } from "./identity-compare";
import { getConnection } from "~/zoho/tokens.server";
import { deletionsOfContacts } from "~/customers/account-closure.server";
import { auditForCustomer } from "~/audit/audit.server";
import { zohoCallsForCustomer } from "~/zoho/call-log.server";
import { profileUpdateOf } from "~/sync/profile-updates.server";

/** A customer's sync state as the audit log records it (ids and states, no personal data), or null. */
export async function syncSnapshot(db: DbOrTx, id: string): Promise<Record<string, unknown> | null> {
  const [row] = await db
    .select({ status: customers.zohoSyncStatus, contactId: customers.zohoContactId, linkBasis: customers.zohoLinkBasis, reviewReason: customers.zohoReviewReason })
    .from(customers)
    .where(eq(customers.id, id));
  return row ?? null;
}

export const TIMELINE_LIMIT = 50;

export async function customerDetail(db: DbOrTx, id: string) {
  const [customer] = await db.select().from(customers).where(eq(customers.id, id));
  if (!customer) return null;
  const job = await openJobFor(db, id);
  const events = await db
    .select({
      id: zohoSyncEvents.id,
      at: zohoSyncEvents.at,
      action: zohoSyncEvents.action,
      outcome: zohoSyncEvents.outcome,
      matchType: zohoSyncEvents.matchType,
      zohoCalls: zohoSyncEvents.zohoCalls,
      error: zohoSyncEvents.error,
      durationMs: zohoSyncEvents.durationMs,
      details: zohoSyncEvents.details,
      actor: users.email,
    })
    .from(zohoSyncEvents)
    .leftJoin(users, eq(users.id, zohoSyncEvents.actorUserId))
    .where(eq(zohoSyncEvents.customerId, id))
    .orderBy(desc(zohoSyncEvents.at), desc(zohoSyncEvents.id))
    .limit(TIMELINE_LIMIT);
  const connection = await getConnection(db);
  const zohoUrl =
    customer.zohoContactId && connection
      ? contactWebUrl(connection.accountsServer, connection.organizationId ?? "", customer.zohoContactId)
      : null;
  const [account] = customer.userId
    ? await db.select({ email: users.email, emailVerifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, customer.userId))
    : [];
  const emailVerified = !!account?.emailVerifiedAt && sameEmail(account.email, customer.email);
  const candidates = customer.zohoSyncCandidates ?? [];
  const links = await existingLinks(db, candidates.map((c) => c.contactId), customer.id);
  const deletions = await deletionsOfContacts(db, candidates.map((c) => c.contactId));
  const identity = { name: `${customer.firstName} ${customer.lastName}`, email: customer.email };
  const [audit, zohoCalls, profileUpdate] = await Promise.all([auditForCustomer(db, id), zohoCallsForCustomer(db, id), profileUpdateOf(db, id)]);
  return {
    profileUpdate,
    audit,
    zohoCalls,
    customer,
    job: job ?? null,
    events,
    zohoUrl,
    connected: connection?.status === "connected",
    account: { hasLogin: !!account, emailVerified, emailVerifiedAt: account?.emailVerifiedAt ?? null },
    linkedComparison: customer.zohoContactId
      ? compareIdentity(identity, { name: customer.zohoContactName ?? "", email: customer.zohoContactEmail })
      : null,
    // Each candidate beside the account, with who (if anyone) already holds it.
    candidates: candidates.map((c) => ({
      ...c,
      comparison: compareIdentity(identity, { name: c.contactName, email: c.email }),
      linkedTo: links.find((l) => l.contactId === c.contactId) ?? null,
      // An account that held this contact was deleted by its customer (the contact stayed in Zoho).
      accountDeletedAt: deletions.get(c.contactId) ?? null,
    })),
  };
}
