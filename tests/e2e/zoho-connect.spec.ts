import { expect, test } from "@playwright/test";
import { signInAsAdmin } from "./admin-sign-in";

test("an admin reconnects Zoho Books through the consent screen", async ({ page }) => {
  await signInAsAdmin(page);
  await page.getByRole("link", { name: "Zoho Books" }).click();
  await expect(page.getByTestId("zoho-connection-state")).toHaveText("Connected");
  await page.getByRole("button", { name: "Reconnect Zoho Books" }).click();
  // Zoho's consent page (the sandbox's), listing what the portal asks for.
  await expect(page.getByRole("heading", { name: /wants to access your Zoho Books/ })).toBeVisible();
  await expect(page.getByText("ZohoBooks.contacts.CREATE")).toBeVisible();
  await page.getByRole("button", { name: "Accept" }).click();
  await expect(page).toHaveURL(/\/admin\/zoho$/);
  await expect(page.getByRole("status")).toContainText("Zoho Books connected");
  await expect(page.getByTestId("zoho-connection-state")).toHaveText("Connected");
  // Zoho's token answer names no scope: the consent covered what the portal asked for.
  await expect(page.getByTestId("zoho-scopes")).toContainText("ZohoBooks.contacts.CREATE");
  await expect(page.getByText("Missing permissions")).toHaveCount(0);
});

test("declining on the consent screen leaves things as they were and says so", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto("/admin/zoho");
  await page.getByRole("button", { name: "Reconnect Zoho Books" }).click();
  await page.getByRole("button", { name: "Deny" }).click();
  await expect(page.getByRole("alert")).toContainText("Zoho access was not granted");
  await expect(page.getByTestId("zoho-connection-state")).toHaveText("Connected");
});
