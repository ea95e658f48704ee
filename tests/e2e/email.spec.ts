// Email in the browser: the confirmation link and the password reset, with the mail read from the
// mail catcher (maildev) the Worker really sent it to over SMTP.
import { expect, test, type Page } from "@playwright/test";
import { linkIn, mailsTo, waitForMail } from "@tools/local-stack/mail-inbox";
import { query, registerForPickup, REGISTRANT_PASSWORD } from "./simulate-verification";

const inbox = () => process.env.E2E_MAIL_INBOX!;
const unique = () => crypto.randomUUID().slice(0, 8);

const register = (page: Page, email: string, signIn = true) => registerForPickup(page, { first: "Carmen", last: `Verde ${unique()}`, email, customer: "new", signIn });

const verifyLink = (page: Page, mail: Parameters<typeof linkIn>[0]) => linkIn(mail, `${new URL(page.url()).origin}/verify-email?token=`);

test("a new customer presses Confirm on the mailed link in the browser they registered with and is synced within seconds", async ({ page }) => {
  const email = `carmen.${unique()}@example.com`;
  await register(page, email, false);
  const mail = await waitForMail(inbox(), email, /Confirm your email/);
  expect(mail.html).toContain("Confirm my email address");
  await page.goto(verifyLink(page, mail));
  // Opening the link changed nothing yet.
  expect((await query<{ v: string | null }>("select email_verified_at as v from users where email = $1", [email]))[0].v).toBeNull();
  await page.getByRole("button", { name: "Confirm", exact: true }).click();
  await expect(page).toHaveURL(/\/account\?confirmed=1$/);
  await expect(page.getByText("Thank you: your email address is confirmed.")).toBeVisible();
  await expect(page.getByTestId("verification-pending")).toHaveCount(0);
  await expect
    .poll(async () => (await query<{ s: string }>("select zoho_sync_status as s from customers where email = $1", [email]))[0]?.s, { timeout: 15_000 })
    .toBe("synced");
  // The same link a second time (mail filters open links first) says so instead of refusing.
  await page.goto(verifyLink(page, mail));
  await expect(page.getByText("This email address is already confirmed.")).toBeVisible();
});

test("on another device, Confirm asks to sign in and comes back to the confirmation", async ({ page, browser }) => {
  const email = `phone.${unique()}@example.com`;
  await register(page, email, false);
  const mail = await waitForMail(inbox(), email, /Confirm your email/);
  const phone = await (await browser.newContext()).newPage();
  await phone.goto(verifyLink(page, mail));
  await phone.getByRole("button", { name: "Confirm", exact: true }).click();
  await expect(phone).toHaveURL(/\/login\?redirectTo=/);
  await expect(phone.getByText("Sign in to the account this link confirms")).toBeVisible();
  await phone.getByLabel("Email").fill(email);
  await phone.getByLabel("Password").fill(REGISTRANT_PASSWORD);
  await phone.getByRole("button", { name: "Sign in" }).click();
  await expect(phone).toHaveURL(/\/verify-email\?token=/);
  await phone.getByRole("button", { name: "Confirm", exact: true }).click();
  await expect(phone).toHaveURL(/\/account\?confirmed=1$/);
  await expect(phone.getByTestId("verification-pending")).toHaveCount(0);
});

test("'send it again' sends a new link, then asks to wait", async ({ page }) => {
  const email = `again.${unique()}@example.com`;
  await register(page, email);
  await waitForMail(inbox(), email, /Confirm your email/);
  await page.getByRole("button", { name: "Send the link again" }).click();
  await expect(page.getByText("A new confirmation link is on its way")).toBeVisible();
  await expect.poll(async () => (await mailsTo(inbox(), email, /Confirm your email/)).length).toBe(2);
  await page.getByRole("button", { name: "Send the link again" }).click();
  await expect(page.getByRole("alert")).toContainText(/You can ask for another one in \d+ (seconds?|minutes?)\./);
});

test("an expired confirmation link is refused", async ({ page }) => {
  const email = `late.${unique()}@example.com`;
  await register(page, email);
  const mail = await waitForMail(inbox(), email, /Confirm your email/);
  await query("update email_tokens set expires_at = now() - interval '1 second' where lower(email) = lower($1)", [email]);
  await page.goto(verifyLink(page, mail));
  await expect(page.getByRole("alert")).toContainText("This confirmation link has expired");
});

test("the whole password reset: request, mail, new password, other sessions signed out, sign in", async ({ page, browser }) => {
  const email = `reset.${unique()}@example.com`;
  await register(page, email);
  // A second browser is signed in too (e.g. a phone); the reset must end its session.
  const other = await browser.newContext();
  const phone = await other.newPage();
  await phone.goto("/login");
  await phone.getByLabel("Email").fill(email);
  await phone.getByLabel("Password").fill("a long password");
  await phone.getByRole("button", { name: "Sign in" }).click();
  await expect(phone).toHaveURL(/\/account$/);

  const anon = await (await browser.newContext()).newPage();
  await anon.goto("/login");
  await anon.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(anon.getByRole("heading", { name: "Forgot your password?" })).toBeVisible();
  await anon.getByLabel("Email").fill(email);
  await anon.getByRole("button", { name: "Send me a reset link" }).click();
  await expect(anon.getByTestId("reset-sent")).toContainText(`If ${email} belongs to an account`);
  const mail = await waitForMail(inbox(), email, /Reset your/);
  const link = linkIn(mail, `${new URL(anon.url()).origin}/reset-password?token=`);
  await anon.goto(link);
  await anon.getByLabel("New password", { exact: true }).fill("a fresh password 2");
  await anon.getByLabel("Confirm new password").fill("a fresh password 2");
  await anon.getByRole("button", { name: "Save the new password" }).click();
  await expect(anon).toHaveURL(/\/login$/);
  await expect(anon.getByText("Your password has been changed")).toBeVisible();

  await phone.goto("/account");
  await expect(phone).toHaveURL(/\/login\?redirectTo=/);
  await anon.getByLabel("Email").fill(email);
  await anon.getByLabel("Password").fill("a long password");
  await anon.getByRole("button", { name: "Sign in" }).click();
  await expect(anon.getByRole("alert")).toContainText("do not match");
  await anon.getByLabel("Password").fill("a fresh password 2");
  await anon.getByRole("button", { name: "Sign in" }).click();
  await expect(anon).toHaveURL(/\/account$/);

  // The link works once.
  await anon.goto(link);
  await expect(anon.getByRole("alert")).toContainText("This reset link has already been used.");
  await other.close();
});
