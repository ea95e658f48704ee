import { describe, expect, it } from "vitest";
import { revetOnZohoChange, type MirrorRevetInput, type RevetCustomer, type Survivor } from "./mirror-revet";

const customer = (over: Partial<RevetCustomer> = {}): RevetCustomer => ({
  zohoContactId: "5001",
  zohoContactName: "Ana Reyes",
  zohoContactEmail: "ana.reyes@example.com",
  zohoLinkBasis: "verified_email",
  zohoSyncStatus: "synced",
  zohoReviewReason: null,
  zohoLinkedAt: new Date("2026-12-01T10:00:00Z"),
  email: "Ana.Reyes@example.com",
  ...over,
});
const contact = (over: Partial<MirrorRevetInput["contact"]> = {}) => ({ contactId: "5001", name: "Ana Reyes", email: "ana.reyes@example.com", status: "active", deleted: false, changedAt: new Date("2026-12-02T08:00:00Z"), ...over });
const survivor = (id: string, linkedElsewhere = false): Survivor => ({ contactId: id, contactName: `Contact ${id}`, email: "ana.reyes@example.com", companyName: null, linkedElsewhere });
const verdict = (over: Partial<MirrorRevetInput>) => revetOnZohoChange({ customer: customer(), contact: contact(), emailVerified: true, survivors: [], ...over });

describe("re-vetting a link when Zoho's side changes", () => {
  it.each([
    ["the contact as linked", {}, "none"],
    ["deleted in Zoho", { contact: contact({ deleted: true }) }, "end"],
    ["inactive, no other contact with the email", { contact: contact({ status: "inactive" }) }, "review"],
    ["merged: inactive, one active contact with the verified email", { contact: contact({ status: "inactive" }), survivors: [survivor("6001")] }, "relink"],
    ["merged, but the customer's email is not verified", { contact: contact({ status: "inactive" }), survivors: [survivor("6001")], emailVerified: false }, "review"],
    ["merged into a contact another account holds", { contact: contact({ status: "inactive" }), survivors: [survivor("6001", true)] }, "review"],
    ["merged, and two active contacts have the email", { contact: contact({ status: "inactive" }), survivors: [survivor("6001"), survivor("6002")] }, "review"],
    ["another email in Zoho on a verified-email link", { contact: contact({ email: "someone@else.example" }) }, "review"],
    ["another email in Zoho on a contact we created", { contact: contact({ email: "someone@else.example" }), customer: customer({ zohoLinkBasis: "created" }) }, "none"],
    ["a Zoho email review, the email back", { customer: customer({ zohoSyncStatus: "skipped", zohoReviewReason: "zoho_email_changed" }) }, "restore"],
    ["an inactive review, the contact active again", { customer: customer({ zohoSyncStatus: "skipped", zohoReviewReason: "contact_inactive" }) }, "restore"],
    ["already in review for the inactivation (a replay)", { contact: contact({ status: "inactive" }), customer: customer({ zohoSyncStatus: "skipped", zohoReviewReason: "contact_inactive" }) }, "none"],
    ["already in review for the email (a replay)", { contact: contact({ email: "x@else.example" }), customer: customer({ zohoSyncStatus: "skipped", zohoReviewReason: "zoho_email_changed" }) }, "none"],
    ["an admin linked it after it was made inactive", { contact: contact({ status: "inactive" }), customer: customer({ zohoLinkBasis: "admin", zohoSyncStatus: "manual", zohoLinkedAt: new Date("2026-12-02T09:00:00Z") }) }, "none"],
    ["made inactive in the same second the link was made (Zoho's whole seconds)", { contact: contact({ status: "inactive" }), customer: customer({ zohoLinkedAt: new Date("2026-12-02T08:00:00.500Z") }) }, "review"],
    ["a job is working on the customer", { contact: contact({ deleted: true }), customer: customer({ zohoSyncStatus: "syncing" }) }, "none"],
    ["a customer-side email change's review is not ended by the contact being fine", { customer: customer({ zohoSyncStatus: "skipped", zohoReviewReason: "email_changed", email: "new@example.com" }) }, "none"],
  ] as Array<[string, Partial<MirrorRevetInput>, string]>)("%s → %s", (_name, over, kind) => {
    expect(verdict(over).kind).toBe(kind);
  });

  it("the reasons and notes say what happened in Zoho and that the history is hidden", () => {
    expect(verdict({ contact: contact({ deleted: true }) })).toMatchObject({ reason: "contact_deleted", text: expect.stringMatching(/deleted in Zoho Books.*link ended.*hidden/) });
    expect(verdict({ contact: contact({ status: "inactive" }) })).toMatchObject({ reason: "contact_inactive", text: expect.stringContaining("hidden") });
    expect(verdict({ contact: contact({ status: "inactive" }), survivors: [survivor("6001"), survivor("6002")] })).toMatchObject({ reason: "contact_merged", candidates: [{ contactId: "6001" }, { contactId: "6002" }] });
    expect(verdict({ contact: contact({ email: "x@else.example" }) })).toMatchObject({ reason: "zoho_email_changed", text: expect.stringContaining("x@else.example") });
    expect(verdict({ contact: contact({ status: "inactive" }), survivors: [survivor("6001")] })).toMatchObject({ kind: "relink", to: { contactId: "6001" } });
  });
});
