// Issue 11 in Chromium: only what a person proved gets linked, and an admin judges the rest.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { DEMO_ADMIN } from "@tools/local-stack/seed";
import { customerState, registerForPickup, verifyEmailAndResync } from "./simulate-verification";

// Each test registers one or two accounts through the four steps and waits for the queue: give it room
// on a busy machine (the waits themselves are for states, never sleeps).
test.describe.configure({ mode: "serial", timeout: 150_000 });
const unique = () => crypto.randomUUID().slice(0, 8);

async function adminPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(DEMO_ADMIN.email);
  await page.getByLabel("Password").fill(DEMO_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  return page;
}

test("a stranger who registers with an address that sits on a Zoho contact is never linked and never sees an invoice", async ({ page }) => {
  await registerForPickup(page, { first: "Maria", last: "Santos", email: "maria.santos@example.com" });
  // An unverified account's job is never claimed: nothing is looked up in Zoho, nothing is linked.
  expect(await customerState("maria.santos@example.com")).toMatchObject({ contact: null, status: "pending" });
  await page.goto("/account");
  await expect(page.getByTestId("history-status")).toContainText("once you confirm your email address");
  await page.getByRole("link", { name: "See my orders" }).click();
  await expect(page.getByTestId("orders-verify")).toBeVisible();
  await expect(page.getByRole("cell", { name: /^INV-/ })).toHaveCount(0);
});

test("a name-only match waits for an admin's Confirm link, then the customer sees their invoices", async ({ page, browser, request }) => {
  const email = `juan.dc.${unique()}@example.net`;
  await registerForPickup(page, { first: "Juan", last: "Dela Cruz", email });
  expect(await verifyEmailAndResync(request, email)).toMatchObject({ status: "skipped", reason: "name_only", contact: null });
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

test("a second account claiming an already linked contact goes to review, and the admin sees the existing link", async ({ page, browser, request }) => {
  await registerForPickup(page, { first: "Ben", last: "Santos", email: "ben.santos@example.com" });
  expect(await verifyEmailAndResync(request, "ben.santos@example.com")).toMatchObject({ status: "synced" });

  const claimer = await (await browser.newContext()).newPage();
  const email = `ben.s.${unique()}@example.net`;
  await registerForPickup(claimer, { first: "Ben", last: "Santos", email });
  expect(await verifyEmailAndResync(request, email)).toMatchObject({ status: "skipped", reason: "contact_already_linked", contact: null });
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
