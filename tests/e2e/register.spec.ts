import { expect, test, type Page } from "@playwright/test";
import fs from "node:fs";
import { confirmFromInbox } from "./simulate-verification";

const unique = () => crypto.randomUUID().slice(0, 8);

async function stepOne(page: Page, p: { first: string; last: string; email: string; phone?: string }) {
  await page.goto("/register");
  await expect(page.getByText("Step 1 of 4")).toBeVisible();
  await page.getByLabel("First name").fill(p.first);
  await page.getByLabel("Last name").fill(p.last);
  await page.getByLabel("Email").fill(p.email);
  await page.getByLabel("Mobile number").fill(p.phone ?? "0917 123 4567");
  await page.getByRole("button", { name: "Continue" }).click();
}

async function finish(page: Page) {
  await expect(page.getByText("Step 4 of 4")).toBeVisible();
  await page.getByLabel("Password", { exact: true }).fill("a long password");
  await page.getByLabel("Confirm password").fill("a long password");
  await page.getByRole("button", { name: "Create account" }).click();
  // The same answer whether or not the address already has an account: check your email (docs/decisions/022).
  await expect(page).toHaveURL(/\/register\/sent$/);
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
}

test("a new customer registers with delivery, confirms in the same browser and lands on their account", async ({ page }) => {
  const email = `new.${unique()}@example.com`;
  await stepOne(page, { first: "Rosa", last: "Mendoza", email });
  await expect(page.getByText("Step 2 of 4")).toBeVisible();
  // The two cards are a real radio group: named by their titles, described by their text, arrow keys move.
  const newCard = page.getByRole("radio", { name: "I'm a new customer", exact: true });
  const returningCard = page.getByRole("radio", { name: "I'm a returning customer", exact: true });
  await expect(returningCard).toHaveAccessibleDescription(/want to link my previous order history/);
  await newCard.focus();
  await page.keyboard.press("Space");
  await expect(newCard).toBeChecked();
  await page.keyboard.press("ArrowDown");
  await expect(returningCard).toBeChecked();
  await page.keyboard.press("ArrowUp");
  await expect(newCard).toBeChecked();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("radio", { name: /Delivery/ }).check();
  await page.getByLabel("Street address").fill("12 Rizal St");
  await page.getByLabel("City or municipality").fill("Makati");
  await page.getByLabel("Province").fill("Metro Manila");
  await page.getByLabel("Postal code").fill("1200");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("12 Rizal St, Makati, Metro Manila, 1200")).toBeVisible();
  // Edit from the review, and come straight back to it.
  await page.getByRole("link", { name: "Edit delivery" }).click();
  await expect(page.getByText("Step 3 of 4")).toBeVisible();
  await page.getByLabel("Unit, building (optional)").fill("Unit 4B");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("12 Rizal St, Unit 4B, Makati, Metro Manila, 1200")).toBeVisible();
  await page.screenshot({ path: "tests/e2e/screenshots/register-step4-review.png", fullPage: true });
  await finish(page);
  await page.screenshot({ path: "tests/e2e/screenshots/register-check-your-email.png", fullPage: true });
  await confirmFromInbox(page, email);
  await page.screenshot({ path: "tests/e2e/screenshots/account-after-register.png", fullPage: true });
  await expect(page.getByText("Thank you: your email address is confirmed.")).toBeVisible();
  await expect(page.getByText("Rosa Mendoza")).toBeVisible();
});

test("a returning customer registers, presses Confirm on the mailed link in the same browser and sees their invoices within 10 seconds", async ({ page }) => {
  await stepOne(page, { first: "Ana", last: "Reyes", email: "ana.reyes@example.com" });
  await page.getByRole("radio", { name: /I'm a returning customer/ }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("radio", { name: /Pickup/ }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await finish(page);
  // The owner of the address opens the link from the mail catcher's inbox in this browser and presses Confirm.
  await confirmFromInbox(page, "ana.reyes@example.com");
  const confirmedAt = Date.now();
  await expect(async () => {
    await page.goto("/account/orders");
    await expect(page.getByRole("cell", { name: "INV-000030" })).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 10_000, intervals: [250, 500, 1000] });
  expect(Date.now() - confirmedAt).toBeLessThanOrEqual(10_000);
  await expect(page.getByRole("link", { name: "Older →" })).toBeVisible();
});

test("field errors appear next to the field, are announced, and keep what was typed", async ({ page }) => {
  await stepOne(page, { first: "Lito", last: "Lapid", email: "not-an-email", phone: "12345" });
  const email = page.getByLabel("Email");
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Enter an email address like name@example.com.")).toBeVisible();
  await expect(page.getByText(/Enter a mobile number like/)).toBeVisible();
  await expect(page.getByLabel("First name")).toHaveValue("Lito");
});

test("step 2 on a phone-sized screen", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await stepOne(page, { first: "Phone", last: "User", email: `phone.${unique()}@example.com` });
  await expect(page.getByRole("heading", { name: "Have you ordered from Cangoods before?" })).toBeVisible();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(375); // no sideways scrolling
  fs.mkdirSync("tests/e2e/screenshots", { recursive: true });
  const shot = await page.screenshot({ path: "tests/e2e/screenshots/register-step2-phone.png", fullPage: true });
  await testInfo.attach("register step 2 (375 px)", { body: shot, contentType: "image/png" });
  // And on a desktop, for comparison.
  await page.setViewportSize({ width: 1280, height: 800 });
  const desktop = await page.screenshot({ path: "tests/e2e/screenshots/register-step2-desktop.png" });
  await testInfo.attach("register step 2 (1280 px)", { body: desktop, contentType: "image/png" });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("errors come back from the server with the first field to fix focused and described", async ({ page }) => {
    await stepOne(page, { first: "Nojs", last: "Errors", email: "still-not-an-email", phone: "0917 123 4567" });
    const email = page.getByLabel("Email");
    await expect(email).toBeFocused();
    await expect(email).toHaveAttribute("aria-invalid", "true");
    await expect(email).toHaveAccessibleDescription("Enter an email address like name@example.com.");
    await expect(page.getByLabel("Last name")).toHaveValue("Errors");
  });

  test("a new customer can register with plain form posts", async ({ page }) => {
    await stepOne(page, { first: "Nojs", last: "Person", email: `nojs.${unique()}@example.com` });
    await page.getByRole("radio", { name: /I'm a new customer/ }).check();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("radio", { name: /Pickup/ }).check();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("button", { name: "Back" }).click();
    await expect(page.getByText("Step 3 of 4")).toBeVisible();
    await expect(page.getByRole("radio", { name: /Pickup/ })).toBeChecked();
    await page.getByRole("button", { name: "Continue" }).click();
    await finish(page);
    await expect(page.getByText("We sent a message to nojs.")).toBeVisible();
  });
});
