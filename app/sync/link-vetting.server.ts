// The link policy's I/O shell for a sync job: load what app/sync/link-policy.ts needs (is the email
// verified, who else holds the candidate contacts), decide, and turn the verdict into the job's result.
import { and, inArray, ne, sql } from "drizzle-orm";
import type { DbOrTx } from "~/db/client.server";
import { customers } from "~/db/schema";
import { decideLink, type ExistingLink, type Proposal } from "./link-policy";
import { contactEmails, isInactive, toCandidate } from "./matching";
import type { JobResult } from "./outcome";
import type { ZohoCandidate } from "./vocabulary";

type Customer = typeof customers.$inferSelect;

export const CONTACT_UNIQUE_INDEX = "customers_zoho_contact_unique";

/** The customer's own address is proven: their account's email is theirs, and verified. */
export async function isEmailVerified(db: DbOrTx, customer: Pick<Customer, "userId" | "email">): Promise<boolean> {
  if (!customer.userId) return false;
  const result = await db.execute(sql`select 1 from users
    where id = ${customer.userId} and email_verified_at is not null and lower(email) = lower(${customer.email})`);
  return result.rows.length > 0;
}

/** Other customers linked to any of these contacts (which account, since when). */
export async function existingLinks(db: DbOrTx, contactIds: string[], exceptCustomerId?: string): Promise<ExistingLink[]> {
  if (contactIds.length === 0) return [];
  const rows = await db
    .select({
      contactId: customers.zohoContactId,
      customerId: customers.id,
      firstName: customers.firstName,
      lastName: customers.lastName,
      email: customers.email,
      linkedAt: customers.zohoLinkedAt,
    })
    .from(customers)
    .where(and(inArray(customers.zohoContactId, contactIds), exceptCustomerId ? ne(customers.id, exceptCustomerId) : undefined));
  return rows.map((r) => ({ contactId: r.contactId!, customerId: r.customerId, name: `${r.firstName} ${r.lastName}`, email: r.email, linkedAt: r.linkedAt }));
}

function proposalOf(result: JobResult): Proposal | null {
  if (result.kind !== "linked") return null;
  const contact = result.contact;
  const candidate: ZohoCandidate = contact
    ? toCandidate(contact)
    : { contactId: result.contactId, contactName: result.contactName, email: null, companyName: null };
  switch (result.matchType) {
    case "created":
    case "upsert":
      return { kind: "created", contact: candidate };
    case "adopted":
      return { kind: "adopted", contact: candidate, emails: contact ? contactEmails(contact) : [], inactive: contact ? isInactive(contact) : false };
    default:
      // "email" | "name": the finder's MatchDecision, with Zoho's answer to re-check the email on.
      return contact
        ? { kind: "one", contact, by: result.matchType }
        : { kind: "adopted", contact: candidate, emails: [] };
  }
}

/**
 * The hook in run-job: every "linked" result passes the policy before it is stored; "ambiguous"
 * results get their machine-readable reason. Other results pass through unchanged.
 */
export async function vetLink(db: DbOrTx, customer: Customer, result: JobResult): Promise<JobResult> {
  if (result.kind === "ambiguous") return { ...result, reviewReason: result.reviewReason ?? "several_matches" };
  const proposal = proposalOf(result);
  if (!proposal || result.kind !== "linked") return result;
  const [emailVerified, links] = await Promise.all([isEmailVerified(db, customer), existingLinks(db, [result.contactId], customer.id)]);
  const verdict = decideLink({ proposal, customer, emailVerified, existingLinks: links });
  if (verdict.kind === "link") return { ...result, basis: verdict.basis };
  if (verdict.kind === "review") return { kind: "ambiguous", candidates: verdict.candidates, reason: verdict.text, reviewReason: verdict.reason };
  return { kind: "not_found" };
}

/** Two jobs linked the same contact at once: the database refused the second (partial unique index). */
export function isContactTaken(error: unknown): boolean {
  for (let e = error as { code?: string; constraint?: string; message?: string; cause?: unknown } | undefined, i = 0; e && i < 4; e = e.cause as typeof e, i++)
    if (e.code === "23505" && (e.constraint === CONTACT_UNIQUE_INDEX || e.message?.includes(CONTACT_UNIQUE_INDEX))) return true;
  return false;
}

/** What a job stores when the database refused its link because another account took the contact meanwhile. */
export function takenMeanwhile(result: JobResult): JobResult {
  if (result.kind !== "linked") return result;
  return {
    kind: "ambiguous",
    candidates: [result.contact ? toCandidate(result.contact) : { contactId: result.contactId, contactName: result.contactName, email: null, companyName: null }],
    reason: `The Zoho contact ${result.contactName} was linked to another account at the same moment; check which account it belongs to`,
    reviewReason: "contact_already_linked",
  };
}
