import { describe, expect, it } from "vitest";
import { revetAfterEmailChange, type RevetInput } from "./email-revet";

const linked = (over: Partial<RevetInput> = {}): RevetInput => ({
  zohoContactId: "5001",
  zohoContactName: "Ana Reyes",
  zohoContactEmail: "ana.reyes@example.com",
  zohoLinkBasis: "verified_email",
  zohoSyncStatus: "synced",
  zohoReviewReason: null,
  ...over,
});

describe("re-vetting a Zoho link when the customer's email changes", () => {
  it.each([
    ["a verified-email link, new address differs from the contact's", linked(), "ana.new@example.com", "review"],
    ["a verified-email link, new address is the contact's (any case)", linked(), "ANA.REYES@example.com", "holds"],
    ["a contact we created for the customer", linked({ zohoLinkBasis: "created" }), "ana.new@example.com", "holds"],
    ["an admin's link", linked({ zohoLinkBasis: "admin", zohoSyncStatus: "manual" }), "ana.new@example.com", "holds"],
    ["no link", linked({ zohoContactId: null, zohoLinkBasis: null, zohoSyncStatus: "pending" }), "ana.new@example.com", "none"],
    ["a link sent to review by a change, changed back to the contact's address", linked({ zohoSyncStatus: "skipped", zohoReviewReason: "email_changed" }), "ana.reyes@example.com", "restore"],
    ["a link already in review for a change, changed again", linked({ zohoSyncStatus: "skipped", zohoReviewReason: "email_changed" }), "ana.third@example.com", "none"],
  ])("%s → %s", (_name, link, email, kind) => {
    expect(revetAfterEmailChange(link, email).kind).toBe(kind);
  });

  it("the review note names the contact and says the proven history stays visible", () => {
    const verdict = revetAfterEmailChange(linked(), "ana.new@example.com");
    expect(verdict).toMatchObject({ kind: "review", text: expect.stringContaining("Ana Reyes") });
    expect(verdict.kind === "review" && verdict.text).toContain("stays visible");
  });
});
