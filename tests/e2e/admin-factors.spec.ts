// Issue 23 in Chromium: an admin without a second factor sets up an authenticator app (QR code and secret),
// signs in with password then code, and a recovery code works once. (Every other browser test signs its admin
// in with a TOTP code computed in the test: tests/e2e/admin-sign-in.ts.)
import { expect, test } from "@playwright/test";
import { totpCode } from "~/auth/factors/totp";
import { newAdmin, passwordStep } from "./admin-sign-in";

test("an admin sets up an authenticator app, signs in with its code, and a recovery code works once", async ({ page }) => {
  const admin = await newAdmin({ factor: false });
  await passwordStep(page, admin);
  // No factor yet: every admin page leads to the setup.
  await expect(page).toHaveURL(/\/admin\/security$/);
  await page.goto("/admin/customers");
  await expect(page).toHaveURL(/\/admin\/security$/);
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  await expect(page.getByRole("img", { name: /QR code to add .* to an authenticator app/ })).toBeVisible();
  const secret = (await page.getByTestId("totp-secret").innerText()).replaceAll(" ", "");
  await page.getByLabel("Code from the app").fill(totpCode(secret));
  await page.getByRole("button", { name: "Confirm the app" }).click();
  // Wait for the codes to be shown (allInnerTexts does not wait), then read them.
  await expect(page.getByTestId("recovery-codes").getByRole("listitem")).toHaveCount(10);
  const codes = (await page.getByTestId("recovery-codes").getByRole("listitem").allInnerTexts()).map((c) => c.trim());
  expect(codes).toHaveLength(10);
  await page.getByRole("link", { name: "Customers" }).first().click();
  await expect(page).toHaveURL(/\/admin\/customers/);
  await page.getByRole("button", { name: "Sign out" }).click();

  await expect(page).toHaveURL(/\/$/);

  // The authenticator app's code: the next step's (the one just used works once; the app's clock may run ahead).
  await passwordStep(page, admin);
  await expect(page).toHaveURL(/\/login\/factor$/);
  await page.getByLabel("Code").fill(totpCode(secret, Date.now() + 30_000));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/$/);

  // A recovery code, once.
  await passwordStep(page, admin);
  await page.getByLabel("Code").fill(codes[0]);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await page.goto("/admin/security");
  await expect(page.getByTestId("recovery-left")).toHaveText("9 of 10 unused.");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/$/);
  await passwordStep(page, admin);
  await page.getByLabel("Code").fill(codes[0]);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("That code has already been used.")).toBeVisible();
  await expect(page).toHaveURL(/\/login\/factor$/);
});
