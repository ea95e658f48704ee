// Issue 19 in Chromium: "This wasn't me", the code from the mail, and the customer's own account (details,
// email change with its undo, deletion, data download).
import { expect, test, type Page } from "@playwright/test";
import fs from "node:fs";
import { linkIn, mailsTo, waitForMail } from "@tools/local-stack/mail-inbox";
import { confirmFromInbox, registerForPickup, REGISTRANT_PASSWORD, signIn } from "./simulate-verification";

test.describe.configure({ timeout: 120_000 });
const inbox = () => process.env.E2E_MAIL_INBOX!;
const unique = () => crypto.randomUUID().slice(0, 8);
const origin = (page: Page) => new URL(page.url()).origin;

/** A customer who registered and confirmed in this browser (signed in by the Confirm). */
async function confirmedCustomer(page: Page, tag: string) {
  const email = `${tag}.${unique()}@example.com`;
  await registerForPickup(page, { first: "Lena", last: `Cruz ${unique()}`, email, customer: "new", signIn: false });
  await confirmFromInbox(page, email);
  return email;
}

test("'This wasn't me' removes the stranger's account at once, and the address's owner can register with it", async ({ page, browser }) => {
  const email = `squat.${unique()}@example.com`;
  await registerForPickup(page, { first: "Not", last: "Theowner", email, signIn: false });
  const mail = await waitForMail(inbox(), email, /Confirm your email/);
  const owner = await (await browser.newContext()).newPage();
  await owner.goto(linkIn(mail, `${origin(page)}/verify-email?token=`));
  await expect(owner.getByTestId("confirm-account")).toContainText("under the name Not Theowner");
  await owner.getByRole("button", { name: "This wasn't me" }).click();
  await expect(owner).toHaveURL(/\/register$/);
  await expect(owner.getByText("that account is removed")).toBeVisible();
  await registerForPickup(owner, { first: "Rightful", last: "Owner", email, customer: "new", signIn: false });
  // The owner's own confirmation mail (the second to the address) is the one to open.
  await expect.poll(async () => (await mailsTo(inbox(), email, /Confirm your email/)).length).toBe(2);
  await confirmFromInbox(owner, email);
  await expect(owner.getByText("Rightful Owner")).toBeVisible();
});

test("the code from the mail, typed on the signed-in account page, confirms the address", async ({ page }) => {
  const email = `code.${unique()}@example.com`;
  await registerForPickup(page, { first: "Cody", last: "Ramos", email, customer: "new" });
  const mail = await waitForMail(inbox(), email, /Confirm your email/);
  const code = mail.text.match(/: ([A-Z0-9]{4} [A-Z0-9]{4})/)![1];
  await page.getByLabel("Or type the code from the mail").fill("WRONGCDE");
  await page.getByRole("button", { name: "Confirm with the code" }).click();
  await expect(page.getByRole("alert")).toContainText("That is not the code. 4 tries left");
  await page.getByLabel("Or type the code from the mail").fill(code);
  await page.getByRole("button", { name: "Confirm with the code" }).click();
  await expect(page.getByText("Thank you: your email address is confirmed.")).toBeVisible();
  await expect(page.getByTestId("verification-pending")).toHaveCount(0);
});

test("editing my details: an error next to the field, then saved and shown", async ({ page }) => {
  await confirmedCustomer(page, "edit");
  await page.getByRole("link", { name: "Edit my details" }).click();
  await page.getByLabel("Mobile number").fill("12345");
  await page.getByRole("button", { name: "Save my details" }).click();
  await expect(page.getByText(/Enter a mobile number like/)).toBeVisible();
  await page.getByLabel("Mobile number").fill("0918 765 4321");
  await page.getByRole("radio", { name: /Delivery/ }).check();
  await page.getByLabel("Street address").fill("21 Kalaw Ave");
  await page.getByLabel("City or municipality").fill("Manila");
  await page.getByLabel("Province").fill("Metro Manila");
  await page.getByLabel("Postal code").fill("1000");
  await page.getByRole("button", { name: "Save my details" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByText("Your details are saved.")).toBeVisible();
  await expect(page.getByText("+639187654321")).toBeVisible();
  await expect(page.getByText("21 Kalaw Ave, Manila, Metro Manila, 1000")).toBeVisible();
});

test("changing my email end to end: both mails, the old address until confirmed, Confirm, sign-in with the new one, undo from the old", async ({ page, browser }) => {
  const email = await confirmedCustomer(page, "mover");
  const next = `moved.${unique()}@example.com`;
  await page.getByRole("link", { name: "Change my email address" }).click();
  await page.getByLabel("New email address").fill(next);
  await page.getByLabel("Your password").fill(REGISTRANT_PASSWORD);
  await page.getByRole("button", { name: "Send the confirmation" }).click();
  await expect(page.getByText(`We sent a link and a code to ${next}`)).toBeVisible();
  await expect(page.getByTestId("email-change-pending")).toContainText(`Until you confirm it, sign in with ${email}`);
  const confirmMail = await waitForMail(inbox(), next, /Confirm your new email address/);
  const notice = await waitForMail(inbox(), email, /is being changed/);
  // Not confirmed yet: the new address does not sign in.
  const other = await (await browser.newContext()).newPage();
  await other.goto("/login");
  await other.getByLabel("Email").fill(next);
  await other.getByLabel("Password").fill(REGISTRANT_PASSWORD);
  await other.getByRole("button", { name: "Sign in" }).click();
  await expect(other.getByRole("alert")).toContainText("do not match");
  // Confirm in the signed-in browser.
  await page.goto(linkIn(confirmMail, `${origin(page)}/confirm-email-change?token=`));
  await page.getByRole("button", { name: "Confirm", exact: true }).click();
  await expect(page.getByText("Your new email address is confirmed")).toBeVisible();
  await signIn(other, next);
  await expect(other.getByText(`${next} (confirmed)`)).toBeVisible();
  // The old address's owner undoes it: the old address again, everyone signed out.
  const old = await (await browser.newContext()).newPage();
  await old.goto(linkIn(notice, `${origin(page)}/undo-email-change?token=`));
  await old.getByRole("button", { name: "Undo the change" }).click();
  await expect(old).toHaveURL(/\/forgot-password$/);
  await expect(old.getByText("your account uses this address again")).toBeVisible();
  await other.goto("/account");
  await expect(other).toHaveURL(/\/login\?redirectTo=/);
  await signIn(old, email);
  await expect(old.getByText(`${email} (confirmed)`)).toBeVisible();
});

test("downloading my data, then deleting my account (password typed again)", async ({ page }) => {
  const email = await confirmedCustomer(page, "leaver");
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download my data (JSON)" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^cangoods-my-data-\d{4}-\d{2}-\d{2}\.json$/);
  const data = JSON.parse(fs.readFileSync((await download.path())!, "utf8"));
  expect(data.account.email).toBe(email);
  expect(data.customer.firstName).toBe("Lena");
  expect(data.timeline.map((e: { what: string }) => e.what)).toContain("email_confirmed");

  await page.getByRole("link", { name: "Delete my account" }).click();
  await expect(page.getByText("We keep your invoices and orders in our accounting")).toBeVisible();
  await page.getByLabel("Your password").fill("not my password");
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page.getByText("That is not your password.")).toBeVisible();
  await page.getByLabel("Your password").fill(REGISTRANT_PASSWORD);
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByText("Your account is deleted.")).toBeVisible();
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(REGISTRANT_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("do not match");
});
