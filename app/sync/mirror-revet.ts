// Does a Zoho link still hold after Zoho's side changed? (issue 20 item 4, docs/decisions/037-link-revetting.md).
// Pure: the mirror's row for the linked contact (deleted, inactive, another email) and the customer's link decide.
//  - deleted in Zoho → the link ends (review, history hidden: there is no contact left to show);
//  - inactive → Zoho's merge leaves the merged contact inactive and moves its invoices: one active contact with the
//    customer's VERIFIED email, linked to no other account → re-linked to it; several or an unproven one → review
//    (contact_merged, with the candidates); none → review (contact_inactive), history hidden while it waits;
//  - another email in Zoho, for a link proven by the verified email → review, history hidden (the basis is gone);
//    links we created or an admin made were not proven by the address and hold (as app/sync/email-revet.ts);
//  - the contact back as it was (active again, the email back) → the link is restored.
// Idempotent: a customer already where the verdict would put them gets `none`. A link made or confirmed by an admin
// after the contact's last change (Zoho's times are whole seconds) was made knowing it: it holds.
import { normaliseEmail } from "~/common/email-address";
import { ZOHO_SIDE_REASONS, type LinkBasis, type ReviewReason, type SyncStatus, type ZohoCandidate } from "./vocabulary";

export type RevetCustomer = {
  zohoContactId: string | null;
  zohoContactName: string | null;
  /** The contact's email as Zoho gave it when the link was made. */
  zohoContactEmail: string | null;
  zohoLinkBasis: LinkBasis | null;
  zohoSyncStatus: SyncStatus;
  zohoReviewReason: ReviewReason | null;
  /** When the link was made or an admin confirmed it. */
  zohoLinkedAt: Date | null;
  email: string;
};

/** The mirror's row for the linked contact. */
export type MirroredContact = { contactId: string; name: string; email: string; status: string; deleted: boolean; /** Zoho's last_modified_time. */ changedAt: Date };

/** Active customer contacts in the mirror with the customer's email (other than the linked one), and whether another account holds each. */
export type Survivor = ZohoCandidate & { linkedElsewhere: boolean };

export type MirrorRevetInput = { customer: RevetCustomer; contact: MirroredContact; emailVerified: boolean; survivors: Survivor[] };

export type MirrorRevetVerdict =
  | { kind: "none" }
  | { kind: "end"; reason: "contact_deleted"; text: string; candidates: ZohoCandidate[] }
  | { kind: "review"; reason: "contact_inactive" | "contact_merged" | "zoho_email_changed"; text: string; candidates: ZohoCandidate[] }
  | { kind: "relink"; to: ZohoCandidate }
  | { kind: "restore"; status: "synced" | "manual" };

const isZohoSide = (r: ReviewReason | null) => !!r && (ZOHO_SIDE_REASONS as readonly string[]).includes(r);
const candidate = (c: MirroredContact): ZohoCandidate => ({ contactId: c.contactId, contactName: c.name, email: c.email || null, companyName: null });
const plain = ({ linkedElsewhere: _, ...c }: Survivor): ZohoCandidate => c;

export function revetOnZohoChange(input: MirrorRevetInput): MirrorRevetVerdict {
  const { customer, contact, emailVerified, survivors } = input;
  if (!customer.zohoContactId || customer.zohoContactId !== contact.contactId) return { kind: "none" };
  // A sync job or an admin owns a customer in any other state (pending, syncing, failed).
  if (!["synced", "manual", "skipped"].includes(customer.zohoSyncStatus)) return { kind: "none" };
  const name = customer.zohoContactName ?? contact.name;
  const inReview = (reason: ReviewReason) => customer.zohoSyncStatus === "skipped" && customer.zohoReviewReason === reason;

  if (contact.deleted)
    return {
      kind: "end",
      reason: "contact_deleted",
      text: `The linked Zoho contact ${name} (${contact.contactId}) was deleted in Zoho Books; the link ended and the order history is hidden. Link the right contact or create one`,
      candidates: survivors.map(plain),
    };

  const knownAtLink = !!customer.zohoLinkedAt && contact.changedAt.getTime() + 1000 <= customer.zohoLinkedAt.getTime() && !isZohoSide(customer.zohoReviewReason);
  if (contact.status !== "active") {
    if (knownAtLink) return { kind: "none" };
    const free = survivors.filter((s) => !s.linkedElsewhere);
    if (survivors.length === 1 && free.length === 1 && emailVerified) return { kind: "relink", to: plain(free[0]) };
    if (survivors.length > 0) {
      if (inReview("contact_merged")) return { kind: "none" };
      return {
        kind: "review",
        reason: "contact_merged",
        text: `The linked Zoho contact ${name} is inactive in Zoho Books (merged?) and ${survivors.length === 1 ? "another active contact has" : `${survivors.length} active contacts have`} this customer's email${emailVerified ? "" : ", which the customer has not verified"}${survivors.some((s) => s.linkedElsewhere) ? " (linked to another account)" : ""}; the order history is hidden until you pick the right contact`,
        candidates: survivors.map(plain),
      };
    }
    if (inReview("contact_inactive")) return { kind: "none" };
    return {
      kind: "review",
      reason: "contact_inactive",
      text: `The linked Zoho contact ${name} was made inactive in Zoho Books (or merged into a contact without this customer's email); the order history is hidden until you confirm the link, link another contact or unlink`,
      candidates: [candidate(contact)],
    };
  }

  const differs = customer.zohoLinkBasis === "verified_email" && contact.email !== normaliseEmail(customer.email) && contact.email !== normaliseEmail(customer.zohoContactEmail ?? "");
  if (differs) {
    if (inReview("zoho_email_changed") || knownAtLink) return { kind: "none" };
    return {
      kind: "review",
      reason: "zoho_email_changed",
      text: `The linked Zoho contact ${name} now has another email in Zoho Books (${contact.email || "none"}), not the customer's verified address; the order history is hidden until you confirm the link or unlink`,
      candidates: [candidate(contact)],
    };
  }

  // Active, and its email still the proven one (or a link not proven by the address): a Zoho-side review ends.
  if (customer.zohoSyncStatus === "skipped" && isZohoSide(customer.zohoReviewReason) && customer.zohoReviewReason !== "contact_deleted")
    return { kind: "restore", status: customer.zohoLinkBasis === "admin" ? "manual" : "synced" };
  return { kind: "none" };
}
