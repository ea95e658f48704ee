// Issue 23 item 2 (docs/decisions/040): the dangerous admin actions ask for the second factor again when the last
// check is older than ADMIN_REAUTH_MINUTES, then do what was asked (the re-auth step carries the action's fields).
// With JavaScript and without it. The last check is made old in the database: see ageFactorCheck.
import { expect, test } from "@playwright/test";
import { nextFactorCode } from "@tools/admin-sign-in";
import { query } from "./simulate-verification";
import { ageFactorCheck, inviteAfterTheWindow, newAdmin, signInAsAdmin } from "./admin-sign-in";

test("inviting an admin after the window asks for the code again, then sends the invitation", async ({ page }) => {
  const admin = await signInAsAdmin(page);
  const email = `reauth.${crypto.randomUUID().slice(0, 8)}@staff.example`;
  await inviteAfterTheWindow(page, admin, email);
  await expect(page.getByText("To invite an admin, type a code from your authenticator app again.")).toBeVisible();
  expect(await query("select 1 from admin_invitations where email = $1", [email])).toHaveLength(0);
  await page.getByLabel("Code").fill(nextFactorCode(admin));
  await page.getByRole("button", { name: "Confirm and invite an admin" }).click();
  await expect(page).toHaveURL(/\/admin\/admins$/);
  await expect(page.getByText(`Invitation sent to ${email} (staff).`)).toBeVisible();
  // Within the window again: the next dangerous action goes ahead at once.
  const second = `reauth.${crypto.randomUUID().slice(0, 8)}@staff.example`;
  await page.getByLabel("Email address").fill(second);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText(`Invitation sent to ${second} (staff).`)).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("removing an admin after the window asks again; a wrong code changes nothing, the right one removes them", async ({ page }) => {
    const admin = await signInAsAdmin(page);
    const staff = await newAdmin();
    const [{ id }] = await query<{ id: string }>("update users set admin_role = 'staff' where email = $1 returning id", [staff.email]);
    await page.goto(`/admin/admins?remove=${id}`);
    await ageFactorCheck(admin, 6);
    await page.getByRole("button", { name: `Remove ${staff.email}` }).click();
    await expect(page.getByRole("heading", { name: "Confirm it is you" })).toBeVisible();
    await page.getByLabel("Code").fill("12345678");
    await page.getByRole("button", { name: "Confirm and remove an admin" }).click();
    await expect(page.getByText("That code is not right.")).toBeVisible();
    expect(await query("select 1 from users where email = $1 and role = 'admin'", [staff.email])).toHaveLength(1);
    await page.getByLabel("Code").fill(nextFactorCode(admin));
    await page.getByRole("button", { name: "Confirm and remove an admin" }).click();
    await expect(page.getByText(`${staff.email} is no longer an admin and was signed out everywhere.`)).toBeVisible();
  });
});
