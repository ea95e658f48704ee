// Who may see their order history (issue 11, item 4). Pure: invoices are shown only behind a verified
// email AND a proven link (an email-verified automatic link, a contact we created, or an admin's link).
import type { SyncStatus } from "~/db/schema";
import { LINK_BASES, ZOHO_SIDE_REASONS, type LinkBasis, type ReviewReason } from "~/sync/vocabulary";

export type HistoryAccess =
  | { state: "verify_email" }
  | { state: "not_linked" }
  | { state: "checking" }
  /** The linked contact changed in Zoho (deleted, inactive, merged, another email): hidden while an admin checks. */
  | { state: "rechecking" }
  | { state: "open"; contactId: string };

export type HistoryCustomer = { zohoContactId: string | null; zohoLinkBasis: LinkBasis | null; zohoSyncStatus: SyncStatus; zohoReviewReason?: ReviewReason | null };

const changedInZoho = (c: HistoryCustomer) => c.zohoSyncStatus === "skipped" && !!c.zohoReviewReason && (ZOHO_SIDE_REASONS as readonly string[]).includes(c.zohoReviewReason);

export function historyAccess(customer: HistoryCustomer, emailVerified: boolean): HistoryAccess {
  if (!emailVerified) return { state: "verify_email" };
  if (changedInZoho(customer)) return { state: "rechecking" };
  if (!customer.zohoContactId) return customer.zohoSyncStatus === "skipped" ? { state: "checking" } : { state: "not_linked" };
  if (!customer.zohoLinkBasis || !LINK_BASES.includes(customer.zohoLinkBasis)) return { state: "checking" };
  return { state: "open", contactId: customer.zohoContactId };
}

export type HistoryNotice = { state: "verify" | "working" | "linked" | "checking"; text: string };

/** The account page's plain words for each case (never internal error text). */
export function historyNotice(customer: HistoryCustomer, emailVerified: boolean): HistoryNotice {
  const access = historyAccess(customer, emailVerified);
  switch (access.state) {
    case "verify_email":
      return { state: "verify", text: "It is shown here once you confirm your email address (see above): until then nobody can see it on this account." };
    case "open":
      return { state: "linked", text: "Your order history is linked to this account." };
    case "rechecking":
      return { state: "checking", text: RECHECKING_TEXT };
    case "checking":
      return { state: "checking", text: "We found what may be your previous orders. Our team checks them before showing them here; there is nothing you need to do." };
    case "not_linked":
      return customer.zohoSyncStatus === "failed"
        ? { state: "checking", text: "We couldn't find your previous orders yet. Our team will check and link them for you." }
        : { state: "working", text: "We're linking your order history. This usually takes a few minutes." };
  }
}

/** What a customer reads while their link waits for an admin after a change in Zoho (account and orders pages). */
export const RECHECKING_TEXT =
  "Your customer record changed in our accounting system, so our team is checking which orders are yours. Your order history is hidden until then; there is nothing you need to do.";
