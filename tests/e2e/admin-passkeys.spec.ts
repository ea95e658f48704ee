// Issue 23 in Chromium with a virtual authenticator (the DevTools Protocol's WebAuthn domain): an admin adds a
// passkey on /admin/security and signs in with the password, then the passkey; the pages pass axe in those
// states. Passkeys need a domain: the browser tests run on http://localhost (tests/e2e/ports.ts E2E_ORIGIN).
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { newAdmin, passwordStep, signInAsAdmin } from "./admin-sign-in";

async function virtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { cdp, authenticatorId };
}

async function expectNoSeriousAxeViolations(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), where).toEqual([]);
}

test("an admin adds a passkey and signs in with it", async ({ page }) => {
  // Two sign-ins, three axe runs and two WebAuthn ceremonies: more than the default minute on a busy machine.
  test.setTimeout(180_000);
  const { cdp, authenticatorId } = await virtualAuthenticator(page);
  const admin = await newAdmin();
  await signInAsAdmin(page, { admin });
  await page.goto("/admin/security");
  await expect(page.getByTestId("no-passkeys")).toBeVisible();
  await expectNoSeriousAxeViolations(page, "/admin/security without a passkey");

  // A name is asked for first.
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByText("Name this passkey")).toBeVisible();
  await page.getByLabel("Name for a new passkey").fill("Test laptop");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByText("Passkey “Test laptop” added.")).toBeVisible();
  await expect(page.getByTestId("passkeys")).toContainText("Test laptop");
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  expect(credentials).toHaveLength(1);
  expect(credentials[0].rpId).toBe("localhost");
  await expectNoSeriousAxeViolations(page, "/admin/security with a passkey");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/$/);

  // Password, then the passkey: no code typed.
  await passwordStep(page, admin);
  await expect(page).toHaveURL(/\/login\/factor$/);
  await expect(page.getByRole("button", { name: "Sign in with a passkey" })).toBeVisible();
  await expectNoSeriousAxeViolations(page, "/login/factor with a passkey");
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await page.goto("/admin/security");
  await expect(page.getByTestId("passkeys")).toContainText("last used");
});
