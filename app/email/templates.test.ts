import { describe, expect, it } from "vitest";
import { failureDigestMail, parseAddress, resetPasswordMail, verifyEmailMail } from "./templates";

describe("mail templates", () => {
  it.each([
    ["verification", verifyEmailMail({ appUrl: "https://shop.example/", token: "abc_123-XYZ" }), "https://shop.example/verify-email?token=abc_123-XYZ"],
    ["reset", resetPasswordMail({ appUrl: "https://shop.example", token: "tok" }), "https://shop.example/reset-password?token=tok"],
  ])("the %s mail has a text and an HTML part with the same absolute link, built from APP_URL", (_name, mail, link) => {
    expect(mail.text).toContain(link);
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.html).not.toContain("<b>");
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
