import { describe, expect, it } from "vitest";
import { accountExistsMail, changeEmailMail, emailChangeNoticeMail, failureDigestMail, parseAddress, resetPasswordMail, verifyEmailMail } from "./templates";

describe("mail templates", () => {
  it.each([
    ["verification", verifyEmailMail({ appUrl: "https://shop.example/", token: "abc_123-XYZ", code: "ABCDEFGH", registeredAt: new Date() }), "https://shop.example/verify-email?token=abc_123-XYZ"],
    ["reset", resetPasswordMail({ appUrl: "https://shop.example", token: "tok" }), "https://shop.example/reset-password?token=tok"],
    ["new address", changeEmailMail({ appUrl: "https://shop.example", token: "tok", code: "ABCDEFGH" }), "https://shop.example/confirm-email-change?token=tok"],
    ["undo", emailChangeNoticeMail({ appUrl: "https://shop.example", token: "tok", newAddressHint: "n•••@example.com" }), "https://shop.example/undo-email-change?token=tok"],
    ["unconfirmed account exists", accountExistsMail({ appUrl: "https://shop.example", account: "unconfirmed", registeredAt: new Date(), token: "tok", code: "ABCDEFGH" }), "https://shop.example/verify-email?token=tok"],
  ])("the %s mail has a text and an HTML part with the same absolute link, built from APP_URL", (_name, mail, link) => {
    expect(mail.text).toContain(link);
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.html).not.toContain("<b>");
  });

  it("the confirmation mail carries the code in two halves, says when the account was made and offers \"This wasn't me\"", () => {
    const mail = verifyEmailMail({ appUrl: "https://shop.example", token: "t", code: "ABCDEFGH", registeredAt: new Date("2026-12-02T02:14:00Z") });
    expect(mail.text).toContain("ABCD EFGH");
    expect(mail.text).toContain("Dec 2, 2026");
    expect(mail.text).toContain("This wasn't me");
  });

  it.each([
    ["confirmed", { account: "confirmed" as const }, ["/login", "/forgot-password"]],
    ["unconfirmed", { account: "unconfirmed" as const, registeredAt: new Date(), token: "t", code: "ABCDEFGH" }, ["/verify-email?token=t", "/forgot-password", "This wasn't me"]],
    ["a customer record without an account", { account: "none" as const }, ["contact us"]],
  ])("the 'you already have an account' mail for %s says what the owner can do", (_name, p, expected) => {
    const mail = accountExistsMail({ appUrl: "https://shop.example", ...p });
    for (const e of expected) expect(mail.text).toContain(e);
  });

  it("the failure digest lists each customer with a link and counts the ones left out", () => {
    const mail = failureDigestMail({
      appUrl: "https://shop.example",
      customers: [{ id: "c1", name: "Ana Lopez", email: "ana@example.com", error: "No matching contact" }],
      more: 4,
    });
    expect(mail.subject).toBe("Zoho sync: 5 customers failed");
    expect(mail.text).toContain("- Ana Lopez <ana@example.com>: No matching contact (https://shop.example/admin/customers/c1)");
    expect(mail.text).toContain("…and 4 more.");
  });

  it("the digest carries the reconciliation's count and its page's link, alone or with the failures", () => {
    const alone = failureDigestMail({ appUrl: "https://shop.example", customers: [], more: 0, reconciliation: 3 });
    expect(alone.subject).toBe("Zoho sync: 3 differences with Zoho");
    expect(alone.text).toContain("Reconciliation: 3 differences between linked customers and their Zoho contacts");
    expect(alone.text).toContain("https://shop.example/admin/reconciliation");
    const both = failureDigestMail({ appUrl: "https://shop.example", customers: [{ id: "c1", name: "Ana Lopez", email: "ana@example.com", error: null }], more: 0, reconciliation: 1 });
    expect(both.subject).toBe("Zoho sync: 1 customer failed, 1 difference with Zoho");
    expect(failureDigestMail({ appUrl: "https://shop.example", customers: [{ id: "c1", name: "A", email: "a@example.com", error: null }], more: 0, reconciliation: 0 }).text).not.toContain("Reconciliation");
  });
});

describe("MAIL_FROM", () => {
  it.each([
    ["Cangoods <shop@example.com>", { name: "Cangoods", email: "shop@example.com" }],
    ['"Cangoods Shop" <shop@example.com>', { name: "Cangoods Shop", email: "shop@example.com" }],
    ["shop@example.com", { email: "shop@example.com" }],
  ])("%s is split into name and address", (value, expected) => {
    expect(parseAddress(value)).toEqual(expected);
  });
});
