// findMatchingContact: the Zoho lookups for a returning customer (docs/decisions/013-matching-real-zoho.md).
// Zoho's `email` filter sees only the PRIMARY contact person's email, exactly; a customer whose email
// sits on a secondary person is found through their surname and that contact's persons, within a small
// call budget. The decision rules live in matching.ts; this module only asks Zoho.
import { ZOHO_EMAIL_MAX_LENGTH, type ZohoContact, type ZohoContacts } from "~/zoho/types";
import { normaliseEmail } from "~/common/email-address";
import { decide, exactEmailMatches, exactNameMatches, nameSearchTerm, personsHaveEmail, type MatchDecision } from "./matching";

/** Contacts found by surname whose persons are checked for the email (one call each). */
export const MAX_PERSON_LOOKUPS = 3;
const MAX_NAME_PAGES = 2; // 400 contacts sharing a surname is already "ask an admin" territory

export type MatchInput = { email: string; firstName: string; lastName: string };

/**
 * What the mirror of Zoho's directory answers instead of Zoho (decision 042): the surname search over the copy (null,
 * or no one by that name: search Zoho). The email is still asked live (a contact added since the copy was read), and
 * contact persons' emails, which the copy does not hold.
 */
export type Directory = { namedLike: (term: string) => Promise<ZohoContact[] | null> };

export async function findMatchingContact(client: ZohoContacts, customer: MatchInput, directory?: Directory): Promise<MatchDecision> {
  const { matches, named } = await emailMatches(client, customer, directory);
  const emailDecision = decide(matches, "email");
  if (emailDecision) return emailDecision;
  return decide(exactNameMatches(named, `${customer.firstName} ${customer.lastName}`), "name") ?? { kind: "none" };
}

/**
 * The customer's email wherever Zoho's filters can find it: the primary person's (one call), else a person
 * of a contact named like them (surname search, then contact persons). Backfill looks with this before it
 * creates: older customers are the likeliest to be in Zoho already, sometimes only on a company contact.
 */
export async function findByEmailAnywhere(client: ZohoContacts, customer: MatchInput): Promise<ZohoContact[]> {
  return (await emailMatches(client, customer)).matches;
}

async function emailMatches(client: ZohoContacts, customer: MatchInput, directory?: Directory): Promise<{ matches: ZohoContact[]; named: ZohoContact[] }> {
  const primary = await findByEmail(client, customer.email);
  if (primary.length) return { matches: primary, named: [] };
  // The copy first; Zoho when the copy has no one by that name (a contact added since it was read, say).
  const fromCopy = directory ? await directory.namedLike(nameSearchTerm(customer.lastName)) : null;
  const named = fromCopy?.length ? fromCopy : await searchBySurname(client, customer.lastName);
  return { matches: await emailOnContactPersons(client, named, customer.email), named };
}

/**
 * Contacts whose primary contact person has exactly this email (trimmed, any case): one call. Inactive contacts
 * too, whatever Zoho's default list holds: the link policy sends them to review instead of creating a second
 * contact. An email longer than Zoho holds (ZOHO_EMAIL_MAX_LENGTH) is on no contact: no call.
 */
export async function findByEmail(client: ZohoContacts, email: string): Promise<ZohoContact[]> {
  if (!zohoCanHoldEmail(email)) return [];
  const { items } = await client.listContacts({ email: normaliseEmail(email), includeInactive: true });
  return exactEmailMatches(items, email);
}

/** Whether Zoho Books can store and search this email (at most 100 characters, contacts.yml). */
export const zohoCanHoldEmail = (email: string) => normaliseEmail(email).length <= ZOHO_EMAIL_MAX_LENGTH;

/** Customer contacts whose display name contains the surname (Zoho does not normalise spaces: we compare here). */
async function searchBySurname(client: ZohoContacts, lastName: string): Promise<ZohoContact[]> {
  const term = nameSearchTerm(lastName);
  if (!term) return [];
  const found: ZohoContact[] = [];
  for (let page = 1; page <= MAX_NAME_PAGES; page++) {
    const result = await client.listContacts({ contactNameContains: term, page });
    found.push(...result.items);
    if (!result.hasMore) break;
  }
  return found.filter((c) => !c.status || c.status === "active");
}

/**
 * Among contacts found by surname: a primary email equal to the customer's once case is ignored
 * (no call), else the contact persons of the first few (one call each) for the email exactly.
 */
async function emailOnContactPersons(client: ZohoContacts, candidates: ZohoContact[], email: string): Promise<ZohoContact[]> {
  const primary = exactEmailMatches(candidates, email);
  if (primary.length) return primary;
  const hits: ZohoContact[] = [];
  for (const candidate of candidates.slice(0, MAX_PERSON_LOOKUPS)) {
    const { items } = await client.listContactPersons(candidate.contact_id);
    if (personsHaveEmail(items, email)) hits.push({ ...candidate, contact_persons: items });
  }
  return hits;
}
