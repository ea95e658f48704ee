// Issue 11 in Chromium: only what a person proved gets linked, and an admin judges the rest.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { signInAsAdmin } from "./admin-sign-in";
import { mailsTo, waitForMail } from "@tools/local-stack/mail-inbox";
import { E2E_ORIGIN } from "./ports";
import { customerState, registerForPickup, signIn, verifyEmailAndResync } from "./simulate-verification";

// Each test registers one or two accounts through the four steps and waits for the queue: give it room
// on a busy machine (the waits themselves are for states, never sleeps).
test.describe.configure({ mode: "serial", timeout: 150_000 });
const unique = () => crypto.randomUUID().slice(0, 8);

async function adminPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAsAdmin(page);
  return page;
}

test("a stranger registers with a Zoho contact's address; scanners open every link and the owner presses Confirm: nothing is confirmed, linked or shown", async ({ page, browser, request }) => {
  const email = "maria.santos@example.com";
  await registerForPickup(page, { first: "Maria", last: "Santos", email, signIn: false });
  await waitForMail(process.env.E2E_MAIL_INBOX!, email, /Confirm your email/);
  // A mail scanner: every link of every mail to the address, fetched without cookies and rendered in a cookieless browser.
  const scanner = await (await browser.newContext()).newPage();
  const links = (await mailsTo(process.env.E2E_MAIL_INBOX!, email, /./)).flatMap((m) => m.text.split(/\s+/).filter((w) => w.startsWith(`${E2E_ORIGIN}/`)));
  expect(links.length).toBeGreaterThan(0);
  for (const link of links) {
    expect((await request.get(link, { maxRedirects: 0 })).status(), link).toBeLessThan(500);
    await scanner.goto(link);
    await scanner.waitForLoadState("networkidle");
  }
  const confirmLink = links.find((l) => l.includes("/verify-email?token="))!;
  // The address's owner, not signed in, opens the link and presses Confirm: asked to sign in, nothing more.
  const owner = await (await browser.newContext()).newPage();
  await owner.goto(confirmLink);
  await expect(owner.getByTestId("confirm-account")).toContainText("under the name Maria Santos");
  await owner.getByRole("button", { name: "Confirm", exact: true }).click();
  await expect(owner).toHaveURL(/\/login\?redirectTo=/);
  // An unverified account's job is never claimed: nothing is looked up in Zoho, nothing is linked.
  expect(await customerState(email)).toMatchObject({ contact: null, status: "pending" });
  // The stranger, signed in, sees no linked account and no invoice.
  await signIn(page, email);
  await expect(page.getByTestId("history-status")).toContainText("once you confirm your email address");
  await page.getByRole("link", { name: "See my orders" }).click();
  await expect(page.getByTestId("orders-verify")).toBeVisible();
  await expect(page.getByRole("cell", { name: /^INV-/ })).toHaveCount(0);
});

test("a name-only match waits for an admin's Confirm link, then the customer sees their invoices", async ({ page, browser }) => {
  const email = `juan.dc.${unique()}@example.net`;
  await registerForPickup(page, { first: "Juan", last: "Dela Cruz", email });
  expect(await verifyEmailAndResync(page, email)).toMatchObject({ status: "skipped", reason: "name_only", contact: null });
  await page.goto("/account/orders");
  await expect(page.getByTestId("orders-checking")).toBeVisible();
  await expect(page.getByRole("cell", { name: /^INV-/ })).toHaveCount(0);

  const admin = await adminPage(browser);
  await admin.goto("/admin/customers?reason=name_only");
  await admin.getByRole("link", { name: "View Juan Dela Cruz" }).first().click();
  await expect(admin.getByTestId("review-reason")).toHaveText("Matched by name only");
  // The account beside the contact, with the difference spelled out.
  await expect(admin.getByTestId("identity-warning")).toContainText(`the account uses ${email}, Zoho has juan@example.com`);
  await admin.getByRole("button", { name: /^Confirm link to Juan Dela Cruz/ }).click();
  await expect(admin.getByRole("status")).toContainText("Link confirmed: Juan Dela Cruz");
  await expect(admin.getByTestId("sync-status")).toHaveText("Manual");
  await expect(admin.getByTestId("link-basis")).toContainText("by an admin");

  await page.goto("/account/orders");
  await expect(page.getByRole("cell", { name: /^INV-/ }).first()).toBeVisible();
});

test("a second account claiming an already linked contact goes to review, and the admin sees the existing link", async ({ page, browser }) => {
  await registerForPickup(page, { first: "Ben", last: "Santos", email: "ben.santos@example.com" });
  expect(await verifyEmailAndResync(page, "ben.santos@example.com")).toMatchObject({ status: "synced" });

  const claimer = await (await browser.newContext()).newPage();
  const email = `ben.s.${unique()}@example.net`;
  await registerForPickup(claimer, { first: "Ben", last: "Santos", email });
  expect(await verifyEmailAndResync(claimer, email)).toMatchObject({ status: "skipped", reason: "contact_already_linked", contact: null });
  await claimer.goto("/account/orders");
  await expect(claimer.getByRole("cell", { name: /^INV-/ })).toHaveCount(0);

  const admin = await adminPage(browser);
  await admin.goto(`/admin/customers/${(await customerState(email))!.id}`);
  await expect(admin.getByTestId("review-reason")).toHaveText("Contact already linked to another account");
  const existing = admin.getByTestId("existing-link");
  await expect(existing).toContainText("Already linked to Ben Santos (ben.santos@example.com) since");
  await admin.getByRole("button", { name: /^Confirm link to Ben Santos/ }).click();
  await expect(admin.getByRole("alert").filter({ hasText: "is already linked to Ben Santos" })).toBeVisible();
  expect((await customerState(email))!.contact).toBeNull();
  await existing.getByRole("link", { name: "Ben Santos" }).click();
  await expect(admin.getByTestId("sync-status")).toHaveText("Synced");
});
