// Admins in the browser (issue 23, item 3): the seeded owner invites a staff member from /admin/admins; the
// invitation arrives in the mail catcher; the invitee opens its link in their own browser, chooses a password,
// lands in the admin console as staff and cannot reach the owners' pages or actions.
import { expect, test } from "@playwright/test";
import { linkIn, waitForMail } from "@tools/local-stack/mail-inbox";
import { totpCode } from "~/auth/factors/totp";
import { signInAsAdmin } from "./admin-sign-in";
import { query } from "./simulate-verification";

const inbox = () => process.env.E2E_MAIL_INBOX!;
const unique = () => crypto.randomUUID().slice(0, 8);


test("an invited staff admin signs up from the mail and cannot reach the owners' pages", async ({ page, browser }) => {
  test.slow(); // two browsers, a mail and a dozen pages under wrangler dev
  const email = `staff.${unique()}@cangoods.example`;
  await signInAsAdmin(page); // a new owner
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Admins" }).click();
  await expect(page.getByRole("heading", { name: "Admins", level: 1 })).toBeVisible();
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Role").selectOption("staff");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText(`Invitation sent to ${email} (staff)`)).toBeVisible();
  await expect(page.getByTestId("invitations")).toContainText(email);

  const mail = await waitForMail(inbox(), email, /invited to the Cangoods admin console/);
  const link = linkIn(mail, `${new URL(page.url()).origin}/accept-invitation?token=`);

  // The invitee's own browser, without JavaScript: the page and its form work as plain HTML.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const invitee = await context.newPage();
  await invitee.goto(link);
  await expect(invitee.getByTestId("invited-email")).toHaveText(email);
  // Opening the link created nothing.
  expect(await query("select id from users where email = $1", [email])).toEqual([]);
  await invitee.getByLabel("Choose a password").fill("a long staff password");
  await invitee.getByLabel("Confirm the password").fill("a different password");
  await invitee.getByRole("button", { name: "Become an admin" }).click();
  await expect(invitee.getByText("The passwords do not match.")).toBeVisible();
  await invitee.getByLabel("Choose a password").fill("a long staff password");
  await invitee.getByLabel("Confirm the password").fill("a long staff password");
  await invitee.getByRole("button", { name: "Become an admin" }).click();
  // A new admin sets up a second factor before any other admin page (decision 034).
  await expect(invitee).toHaveURL(/\/admin\/security$/);
  await expect(invitee.getByText("you are now staff")).toBeVisible();
  await invitee.getByRole("button", { name: "Set up an authenticator app" }).click();
  const secret = (await invitee.getByTestId("totp-secret").innerText()).replaceAll(" ", "");
  await invitee.getByLabel("Code from the app").fill(totpCode(secret));
  await invitee.getByRole("button", { name: "Confirm the app" }).click();
  await expect(invitee.getByTestId("recovery-codes")).toBeVisible();
  await invitee.goto(new URL("/admin", invitee.url()).toString());
  await expect(invitee.getByText(`Signed in as ${email}`)).toBeVisible();

  // Staff: customers yes; no Admins in the menu, the page refused, and Zoho's connection read-only.
  const nav = invitee.getByRole("navigation", { name: "Admin" });
  await expect(nav.getByRole("link", { name: "Customers" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Admins" })).toHaveCount(0);
  const origin = new URL(link).origin;
  const refused = await invitee.goto(`${origin}/admin/admins`);
  expect(refused?.status()).toBe(403);
  await expect(invitee.getByText("Only an owner of this shop can do this.")).toBeVisible();
  await invitee.goto(`${origin}/admin/zoho`);
  await expect(invitee.getByText("Only an owner of the shop can connect, reconnect or disconnect Zoho Books.")).toBeVisible();
  await expect(invitee.getByRole("button", { name: "Disconnect" })).toHaveCount(0);

  // The link worked once.
  await invitee.goto(link);
  await expect(invitee.getByRole("alert")).toHaveText("This invitation has already been accepted. Sign in with the password you chose.");
  await context.close();

  // The owner sees the new admin, with their role and last sign-in, and can remove them.
  await page.goto("/admin/admins");
  const row = page.getByTestId("admins").getByRole("row").filter({ hasText: email });
  await expect(row).toContainText("Staff");
  await expect(page.getByRole("button", { name: `Revoke the invitation to ${email}` })).toHaveCount(0);
  await row.getByRole("link", { name: `Remove ${email}` }).click();
  await page.getByRole("button", { name: `Remove ${email}` }).click();
  await expect(page.getByText(`${email} is no longer an admin and was signed out everywhere.`)).toBeVisible();
  expect(await query("select id from users where email = $1", [email])).toEqual([]);
});
