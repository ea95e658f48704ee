import { expect, test } from "@playwright/test";
import { DEMO_ADMIN } from "@tools/local-stack/seed";
import { signInAsAdmin } from "./admin-sign-in";

test("anonymous access to /admin is refused and leads to sign-in", async ({ page }) => {
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fadmin$/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
});

test("an admin signs in with the seeded credentials and signs out", async ({ page }) => {
  await page.goto("/admin");
  await signInAsAdmin(page, { admin: DEMO_ADMIN, from: null });
  await expect(page.getByText(`Signed in as ${DEMO_ADMIN.email}`)).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/login/);
});

test("a wrong password keeps the email and explains the problem", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(DEMO_ADMIN.email);
  await page.getByLabel("Password").fill("definitely wrong");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("That email and password do not match an account.");
  await expect(page.getByLabel("Email")).toHaveValue(DEMO_ADMIN.email);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("an admin can still sign in", async ({ page }) => {
    const admin = await signInAsAdmin(page);
    await expect(page.getByText(`Signed in as ${admin.email}`)).toBeVisible();
  });
});
