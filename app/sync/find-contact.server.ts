// findMatchingContact: the Zoho lookups for a returning customer. The decision rules live in
// matching.ts; this module only asks Zoho and spends as few calls as it can.
import type { ZohoClient } from "~/zoho/client.server";
import type { ZohoContact } from "~/zoho/types";
import { contactEmails, decide, exactEmailMatches, exactNameMatches, nameSearchTerm, normaliseEmail, type MatchDecision } from "./matching";

const MAX_DETAIL_LOOKUPS = 3; // contacts whose email hit only via a contact person: confirm at most this many
const MAX_NAME_PAGES = 2; // 400 contacts sharing a surname is already "ask an admin" territory

export type MatchInput = { email: string; firstName: string; lastName: string };

export async function findMatchingContact(client: ZohoClient, customer: MatchInput): Promise<MatchDecision> {
  const byEmail = await findByEmail(client, customer.email);
  const emailDecision = decide(byEmail, "email");
  if (emailDecision) return emailDecision;

  const fullName = `${customer.firstName} ${customer.lastName}`;
  const found: ZohoContact[] = [];
  for (let page = 1; page <= MAX_NAME_PAGES; page++) {
    const result = await client.listContacts({ contactNameContains: nameSearchTerm(customer.lastName), page });
    found.push(...result.items);
    if (!result.hasMore) break;
  }
  return decide(exactNameMatches(found, fullName), "name") ?? { kind: "none" };
}

/** Contacts answering to exactly this email, including through a contact person. */
export async function findByEmail(client: ZohoClient, email: string): Promise<ZohoContact[]> {
  const { items } = await client.listContacts({ email: normaliseEmail(email) });
  const exact = exactEmailMatches(items, email);
  // The list shows only the primary email; a hit through a contact person needs the full contact.
  const unexplained = items.filter((c) => !exact.includes(c) && !contactEmails(c).length).slice(0, MAX_DETAIL_LOOKUPS);
  const partial = items.filter((c) => !exact.includes(c) && contactEmails(c).length).slice(0, MAX_DETAIL_LOOKUPS - unexplained.length);
  for (const candidate of [...unexplained, ...partial]) {
    const full = await client.getContact(candidate.contact_id);
    if (exactEmailMatches([full], email).length) exact.push(full);
  }
  return exact;
}
