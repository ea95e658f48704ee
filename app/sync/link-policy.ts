// Who may be linked to which Zoho contact (issue 11, docs/decisions/011-verified-linking.md). Pure:
// the finder proposes (MatchDecision or a create-path result), this module decides link or review.
// A link is made automatically only when the person proved it: their VERIFIED email is the contact's
// email, or the contact is one we created for them. Everything else waits for an admin.
import { normaliseEmail } from "~/common/email-address";
import { contactEmails, isInactive, toCandidate, type MatchDecision } from "./matching";
import type { LinkBasis, ReviewReason, ZohoCandidate } from "./vocabulary";

/** Another portal account already linked to a candidate contact. */
export type ExistingLink = { contactId: string; customerId: string; name: string; email: string; linkedAt: Date | string | null };

/** The finder's answer, or the create path's: a contact we created (or upserted) vs. one we adopted by email. */
export type Proposal =
  | MatchDecision
  | { kind: "created"; contact: ZohoCandidate }
  /** inactive: Zoho's answer says the contact is inactive. */
  | { kind: "adopted"; contact: ZohoCandidate; emails: string[]; inactive?: boolean };

export type PolicyInput = {
  proposal: Proposal;
  customer: { id: string; email: string };
  /** The customer's own address was proven by the mail link (users.email_verified_at, same address). */
  emailVerified: boolean;
  /** Links of OTHER customers to any candidate contact. */
  existingLinks: ExistingLink[];
};

export type PolicyVerdict =
  | { kind: "link"; contact: ZohoCandidate; basis: LinkBasis }
  | { kind: "review"; reason: ReviewReason; text: string; candidates: ZohoCandidate[] }
  | { kind: "none" };

export function decideLink(input: PolicyInput): PolicyVerdict {
  const { proposal, customer, emailVerified, existingLinks } = input;
  if (proposal.kind === "none") return { kind: "none" };
  if (proposal.kind === "many")
    return {
      kind: "review",
      reason: "several_matches",
      text: `${proposal.candidates.length} Zoho contacts match this customer's ${proposal.by}; pick the right one`,
      candidates: proposal.candidates,
    };

  const contact = proposal.kind === "one" ? toCandidate(proposal.contact) : proposal.contact;
  const taken = existingLinks.find((l) => l.contactId === contact.contactId && l.customerId !== customer.id);
  if (taken)
    return {
      kind: "review",
      reason: "contact_already_linked",
      text: `The Zoho contact ${contact.contactName} is already linked to another account (${taken.email}); check which account it belongs to`,
      candidates: [contact],
    };

  // An inactive contact (a customer the shop retired, a merged duplicate) is never linked automatically, even by
  // a verified email: an admin decides whether to reactivate it, link it, or create a new one.
  if (proposal.kind === "one" ? isInactive(proposal.contact) : proposal.kind === "adopted" && proposal.inactive)
    return {
      kind: "review",
      reason: "inactive_contact",
      text: `The Zoho contact ${contact.contactName} matches but is inactive in Zoho Books; link it if it is this customer (and make it active in Zoho), or create a new one`,
      candidates: [contact],
    };

  // A contact we just created for this customer holds nothing of anybody else's.
  if (proposal.kind === "created") return { kind: "link", contact, basis: "created" };

  if (proposal.kind === "one" && proposal.by === "name")
    return {
      kind: "review",
      reason: "name_only",
      text: `Only the name matches the Zoho contact ${contact.contactName}; confirm the link if it is the same person`,
      candidates: [contact],
    };

  // An email match (found or adopted): re-checked here on Zoho's answer, and only for a proven address.
  const emails = proposal.kind === "adopted" ? proposal.emails.map(normaliseEmail) : contactEmails(proposal.contact);
  if (!emails.includes(normaliseEmail(customer.email)))
    return {
      kind: "review",
      reason: "name_only",
      text: `Zoho's answer for ${contact.contactName} does not carry this customer's email; confirm the link if it is the same person`,
      candidates: [contact],
    };
  if (!emailVerified)
    return {
      kind: "review",
      reason: "unverified",
      text: `The email matches the Zoho contact ${contact.contactName}, but the customer has not verified it yet`,
      candidates: [contact],
    };
  return { kind: "link", contact, basis: "verified_email" };
}
