// Deciding which Zoho contact is a returning customer (R3): email first, then name. Pure.
import { normaliseEmail } from "~/common/email-address";
import type { ZohoContact } from "~/zoho/types";
import type { ZohoCandidate } from "./vocabulary";

/** Case, accents' composed forms and repeated/odd whitespace do not make two names different. */
export const normaliseName = (name: string) => name.normalize("NFKC").replace(/\s+/g, " ").trim().toLowerCase();

/** Every email a contact answers to: its own and its contact persons'. */
export function contactEmails(contact: ZohoContact): string[] {
  const emails = [contact.email, ...(contact.contact_persons ?? []).map((p) => p.email)];
  return emails.filter((e): e is string => !!e).map(normaliseEmail);
}

/** Keep only contacts answering to exactly the customer's email (trimmed, any case), whatever Zoho's filter matched. */
export function exactEmailMatches(contacts: ZohoContact[], email: string) {
  const wanted = normaliseEmail(email);
  return uniqueById(contacts.filter((c) => contactEmails(c).includes(wanted)));
}

/** Does one of these contact persons have exactly this email (trimmed, any case)? */
export function personsHaveEmail(persons: Array<{ email?: string | null }>, email: string) {
  const wanted = normaliseEmail(email);
  return persons.some((p) => !!p.email && normaliseEmail(p.email) === wanted);
}

/** Zoho marks a contact inactive (status "inactive"): never linked automatically (app/sync/link-policy.ts). */
export const isInactive = (c: Pick<ZohoContact, "status">) => !!c.status && c.status !== "active";

/** Contacts whose display name (or person's first+last name) equals the customer's full name. */
export function exactNameMatches(contacts: ZohoContact[], fullName: string) {
  const wanted = normaliseName(fullName);
  return uniqueById(
    contacts.filter((c) => {
      if (isInactive(c)) return false;
      const names = [c.contact_name, `${c.first_name ?? ""} ${c.last_name ?? ""}`];
      return names.some((n) => normaliseName(n) === wanted);
    }),
  );
}

function uniqueById(contacts: ZohoContact[]) {
  return [...new Map(contacts.map((c) => [c.contact_id, c])).values()];
}

export type MatchDecision =
  | { kind: "one"; contact: ZohoContact; by: "email" | "name" }
  | { kind: "many"; by: "email" | "name"; candidates: ZohoCandidate[] }
  | { kind: "none" };

export function decide(matches: ZohoContact[], by: "email" | "name"): MatchDecision | null {
  if (matches.length === 0) return null;
  if (matches.length === 1) return { kind: "one", contact: matches[0], by };
  return { kind: "many", by, candidates: matches.map(toCandidate) };
}

export function toCandidate(c: ZohoContact): ZohoCandidate {
  return { contactId: c.contact_id, contactName: c.contact_name, email: c.email, companyName: c.company_name };
}

/** The surname to search Zoho by (it does not normalise whitespace, so we search wide and compare here). */
export function nameSearchTerm(lastName: string) {
  return lastName.normalize("NFKC").replace(/\s+/g, " ").trim();
}
