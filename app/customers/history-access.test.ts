import { describe, expect, it } from "vitest";
import { historyAccess, historyNotice, type HistoryCustomer } from "./history-access";

const linked = (basis: HistoryCustomer["zohoLinkBasis"]): HistoryCustomer => ({ zohoContactId: "460000000026049", zohoLinkBasis: basis, zohoSyncStatus: basis === "admin" ? "manual" : "synced" });

describe("order history access", () => {
  it.each([
    ["an unverified email sees nothing, even behind an admin's link", linked("admin"), false, "verify_email"],
    ["an unverified email with no link is asked to verify", { zohoContactId: null, zohoLinkBasis: null, zohoSyncStatus: "pending" }, false, "verify_email"],
    ["a verified email-match link opens the history", linked("verified_email"), true, "open"],
    ["a contact we created opens the history", linked("created"), true, "open"],
    ["an admin's link opens the history", linked("admin"), true, "open"],
    ["a link nobody proved stays closed", linked(null), true, "checking"],
    ["a suggestion waiting for an admin is being checked", { zohoContactId: null, zohoLinkBasis: null, zohoSyncStatus: "skipped" }, true, "checking"],
    ["a link in review after its contact was made inactive in Zoho is hidden", { ...linked("verified_email"), zohoSyncStatus: "skipped", zohoReviewReason: "contact_inactive" }, true, "rechecking"],
    ["a link in review after Zoho changed the contact's email is hidden", { ...linked("verified_email"), zohoSyncStatus: "skipped", zohoReviewReason: "zoho_email_changed" }, true, "rechecking"],
    ["a link ended because Zoho deleted the contact is rechecked", { zohoContactId: null, zohoLinkBasis: null, zohoSyncStatus: "skipped", zohoReviewReason: "contact_deleted" }, true, "rechecking"],
    ["a link in review after the customer changed their own email stays open (issue 19)", { ...linked("verified_email"), zohoSyncStatus: "skipped", zohoReviewReason: "email_changed" }, true, "open"],
    ["no link yet is not linked", { zohoContactId: null, zohoLinkBasis: null, zohoSyncStatus: "pending" }, true, "not_linked"],
  ] as Array<[string, HistoryCustomer, boolean, string]>)("%s", (_name, customer, verified, state) => {
    expect(historyAccess(customer, verified).state).toBe(state);
  });

  it("the account page asks an unverified customer to verify, in plain words", () => {
    expect(historyNotice(linked("verified_email"), false).text).toMatch(/once you confirm your email address/i);
  });

  it("a customer whose contact changed in Zoho reads that the team is checking it, in plain words", () => {
    expect(historyNotice({ ...linked("verified_email"), zohoSyncStatus: "skipped", zohoReviewReason: "contact_merged" }, true).text).toMatch(/our team is checking which orders are yours/i);
  });
});
