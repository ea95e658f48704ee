// "Download my data" (issue 19): everything stored about the signed-in customer, as JSON — the account, the
// customer record, the timeline (sync and account events), sessions, mails, cached invoices. Never another
// person's data: review notes and candidate contacts (which name other accounts and other Zoho contacts) are
// left out; the timeline gives what happened, not the admins' free text about it.
import { and, desc, eq } from "drizzle-orm";
import type { DbOrTx } from "~/db/client.server";
import { customers, emailOutbox, sessions, users, zohoInvoiceCache, zohoSyncEvents } from "~/db/schema";
import { REVIEW_REASON_LABEL } from "~/sync/vocabulary";
import { ACCOUNT_OUTCOME } from "~/sync/account-timeline.server";

export async function exportAccountData(db: DbOrTx, userId: string, now = new Date()) {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) return null;
  const [customer] = await db.select().from(customers).where(eq(customers.userId, userId));
  const own = new Set([user.email, user.pendingEmail, user.previousEmail].filter((a): a is string => !!a).map((a) => a.toLowerCase()));
  const [events, signedIn, mails, invoices] = await Promise.all([
    customer
      ? db
          .select({ at: zohoSyncEvents.at, action: zohoSyncEvents.action, outcome: zohoSyncEvents.outcome, matchType: zohoSyncEvents.matchType, zohoCalls: zohoSyncEvents.zohoCalls, details: zohoSyncEvents.details })
          .from(zohoSyncEvents)
          .where(eq(zohoSyncEvents.customerId, customer.id))
          .orderBy(desc(zohoSyncEvents.at), desc(zohoSyncEvents.id))
      : [],
    db.select({ createdAt: sessions.createdAt, expiresAt: sessions.expiresAt }).from(sessions).where(eq(sessions.userId, userId)),
    db.select({ kind: emailOutbox.kind, to: emailOutbox.toAddress, createdAt: emailOutbox.createdAt, sentAt: emailOutbox.sentAt }).from(emailOutbox).where(eq(emailOutbox.userId, userId)),
    customer?.zohoContactId && customer.zohoLinkBasis
      ? db.select({ page: zohoInvoiceCache.page, fetchedAt: zohoInvoiceCache.fetchedAt, invoices: zohoInvoiceCache.invoices }).from(zohoInvoiceCache).where(and(eq(zohoInvoiceCache.contactId, customer.zohoContactId)))
      : [],
  ]);
  const proven = !!customer?.zohoContactId && !!customer.zohoLinkBasis;
  return {
    exportedAt: now.toISOString(),
    about:
      "Everything Cangoods stores about your account. Your invoices live in our accounting (Zoho Books); the copy cached for this website is included under cachedInvoices.",
    account: {
      email: user.email,
      role: user.role,
      createdAt: user.createdAt,
      lastSignInAt: user.lastSignInAt,
      emailConfirmedAt: user.emailVerifiedAt,
      newEmailWaitingForConfirmation: user.pendingEmail,
      newEmailAskedAt: user.pendingEmailAt,
      previousEmail: user.previousEmail && user.previousEmailUntil && user.previousEmailUntil > now ? user.previousEmail : null,
      undoPossibleUntil: user.previousEmailUntil && user.previousEmailUntil > now ? user.previousEmailUntil : null,
    },
    customer: customer
      ? {
          firstName: customer.firstName,
          lastName: customer.lastName,
          email: customer.email,
          phone: customer.phone,
          deliveryMethod: customer.deliveryMethod,
          addressLine1: customer.addressLine1,
          addressLine2: customer.addressLine2,
          city: customer.city,
          province: customer.province,
          postalCode: customer.postalCode,
          orderedBefore: customer.isReturningCustomer,
          createdAt: customer.createdAt,
          updatedAt: customer.updatedAt,
          orderHistoryLink: {
            status: customer.zohoSyncStatus,
            waitingForOurTeamBecause: customer.zohoReviewReason ? REVIEW_REASON_LABEL[customer.zohoReviewReason] : null,
            // Only a proven link is this customer's: an unproven suggestion may be another person's contact.
            zohoContactId: proven ? customer.zohoContactId : null,
            zohoContactName: proven ? customer.zohoContactName : null,
            linkedAt: proven ? customer.zohoLinkedAt : null,
            provenBy: customer.zohoLinkBasis,
            lastSyncAt: customer.zohoLastSyncAt,
          },
        }
      : null,
    timeline: events.map((e) => ({
      at: e.at,
      what: e.action,
      outcome: e.outcome,
      matchType: e.matchType,
      zohoCalls: e.zohoCalls,
      // Account events name the fields that changed; sync events' details name contacts (not always this person's).
      ...(e.outcome === ACCOUNT_OUTCOME && e.details ? { details: e.details } : {}),
    })),
    sessions: signedIn,
    mails: mails.map((m) => ({ kind: m.kind, to: own.has(m.to.toLowerCase()) ? m.to : "(an address you asked us to write to)", createdAt: m.createdAt, sentAt: m.sentAt })),
    cachedInvoices: invoices,
  };
}

export type AccountDataExport = NonNullable<Awaited<ReturnType<typeof exportAccountData>>>;
