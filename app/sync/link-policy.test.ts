import { describe, expect, it } from "vitest";
import type { ZohoContact } from "~/zoho/types";
import { decideLink, type ExistingLink, type PolicyInput, type Proposal } from "./link-policy";

const contact = (id: string, email: string | null, persons: string[] = []): ZohoContact =>
  ({
    contact_id: id,
    contact_name: `Contact ${id}`,
    company_name: null,
    email,
    contact_persons: persons.map((e) => ({ email: e, first_name: "P", last_name: "Q" })),
  }) as unknown as ZohoContact;

const customer = { id: "cust-1", email: "Ana.Reyes@example.com" };
const otherLink: ExistingLink = { contactId: "100", customerId: "cust-2", name: "Ana Other", email: "other@example.com", linkedAt: "2026-11-01T00:00:00Z" };
const ownLink: ExistingLink = { ...otherLink, customerId: "cust-1" };

const byEmail = (c: ZohoContact): Proposal => ({ kind: "one", contact: c, by: "email" });
const byName = (c: ZohoContact): Proposal => ({ kind: "one", contact: c, by: "name" });
const created: Proposal = { kind: "created", contact: { contactId: "100", contactName: "Ana Reyes", email: null, companyName: null } };
const adopted = (emails: string[]): Proposal => ({ kind: "adopted", contact: { contactId: "100", contactName: "Ana Reyes", email: emails[0] ?? null, companyName: null }, emails });

type Row = [string, Proposal, boolean, ExistingLink[], string, string | null];
const table: Row[] = [
  ["a verified email equal to the contact's email links", byEmail(contact("100", "ana.reyes@example.com")), true, [], "link", "verified_email"],
  ["a verified email equal to a contact person's email links", byEmail(contact("100", null, ["ANA.REYES@example.com "])), true, [], "link", "verified_email"],
  ["an unverified email never links, even when it matches", byEmail(contact("100", "ana.reyes@example.com")), false, [], "review", "unverified"],
  ["an 'email' match whose answer lacks the email is re-checked and sent to review", byEmail(contact("100", "ana.reyes@example.co")), true, [], "review", "name_only"],
  ["a name-only match never links by itself", byName(contact("100", "someone@else.example")), true, [], "review", "name_only"],
  ["a name-only match of an unverified customer goes to review too", byName(contact("100", null)), false, [], "review", "name_only"],
  ["a contact already linked to another account goes to review", byEmail(contact("100", "ana.reyes@example.com")), true, [otherLink], "review", "contact_already_linked"],
  ["a name match on an already linked contact names the existing link", byName(contact("100", null)), true, [otherLink], "review", "contact_already_linked"],
  ["the customer's own existing link does not count as taken", byEmail(contact("100", "ana.reyes@example.com")), true, [ownLink], "link", "verified_email"],
  ["several matches go to review", { kind: "many", by: "email", candidates: [] }, true, [], "review", "several_matches"],
  ["no match is no match", { kind: "none" }, true, [], "none", null],
  ["a contact we created links, verified or not", created, false, [], "link", "created"],
  ["a created contact someone else holds (impossible, but guarded) goes to review", created, true, [otherLink], "review", "contact_already_linked"],
  ["an adopted contact with the verified email links", adopted(["ana.reyes@example.com"]), true, [], "link", "verified_email"],
  ["an adopted contact of an unverified customer goes to review", adopted(["ana.reyes@example.com"]), false, [], "review", "unverified"],
  ["an adopted contact without the email goes to review", adopted(["x@example.com"]), true, [], "review", "name_only"],
  // Inactive in Zoho: never linked automatically, not even by a verified email (issue 22).
  ["an inactive contact with the verified email goes to review", byEmail({ ...contact("100", "ana.reyes@example.com"), status: "inactive" }), true, [], "review", "inactive_contact"],
  ["an active contact (status given) with the verified email links", byEmail({ ...contact("100", "ana.reyes@example.com"), status: "active" }), true, [], "link", "verified_email"],
  ["an adopted inactive contact goes to review", { ...adopted(["ana.reyes@example.com"]), inactive: true } as Proposal, true, [], "review", "inactive_contact"],
];

describe("who may be linked", () => {
  it.each(table)("%s", (_name, proposal, emailVerified, existingLinks, kind, detail) => {
    const input: PolicyInput = { proposal, customer, emailVerified, existingLinks };
    const verdict = decideLink(input);
    expect(verdict.kind).toBe(kind);
    if (verdict.kind === "link") expect(verdict.basis).toBe(detail);
    if (verdict.kind === "review") {
      expect(verdict.reason).toBe(detail);
      expect(verdict.text.length).toBeGreaterThan(10);
    }
  });

  it("a review keeps the candidate for the admin, with its email", () => {
    const verdict = decideLink({ proposal: byName(contact("100", "someone@else.example")), customer, emailVerified: true, existingLinks: [] });
    expect(verdict).toMatchObject({ kind: "review", candidates: [{ contactId: "100", email: "someone@else.example" }] });
  });

  it("the text of an already linked contact names the other account", () => {
    const verdict = decideLink({ proposal: byName(contact("100", null)), customer, emailVerified: true, existingLinks: [otherLink] });
    expect(verdict.kind === "review" && verdict.text).toContain("other@example.com");
  });
});
