// The owner of an email proves it (issues 11 and 19): the browser tests open the confirmation link from the mail
// catcher's inbox in the registrant's browser and press Confirm (opening it changes nothing), which makes the
// customer's sync job due and queues it, then wait for the sync to settle.
import { expect, type Page } from "@playwright/test";
import pg from "pg";
import { linkIn, waitForMail } from "@tools/local-stack/mail-inbox";
import { E2E_ORIGIN } from "./ports";

async function withDb<T>(fn: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}

/** One query against the browser tests' database. */
export async function query<T>(text: string, params: unknown[] = []): Promise<T[]> {
  return withDb(async (db) => (await db.query(text, params)).rows as T[]);
}

export async function customerState(email: string) {
  return withDb(async (db) => {
    const { rows } = await db.query<{ id: string; status: string; contact: string | null; reason: string | null }>(
      `select id, zoho_sync_status as status, zoho_contact_id as contact, zoho_review_reason as reason from customers where lower(email) = lower($1)`,
      [email],
    );
    return rows[0] ?? null;
  });
}

/** Waits until the customer's first sync run has finished (any state but pending/syncing). */
export async function waitForSyncToSettle(email: string) {
  await expect(async () => {
    const state = await customerState(email);
    expect(state && !["pending", "syncing"].includes(state.status), `sync state of ${email}: ${state?.status}`).toBe(true);
  }).toPass({ timeout: 30_000 });
  return (await customerState(email))!;
}

/** The registrant opens the confirmation link from the inbox in `page` (their browser) and presses Confirm. */
export async function confirmFromInbox(page: Page, email: string) {
  const mail = await waitForMail(process.env.E2E_MAIL_INBOX!, email, /Confirm your email/);
  await page.goto(linkIn(mail, `${E2E_ORIGIN}/verify-email?token=`));
  await expect(page.getByTestId("confirm-account")).toContainText(`registered with ${email}`);
  await page.getByRole("button", { name: "Confirm", exact: true }).click();
  await expect(page).toHaveURL(/\/account\?confirmed=1$/);
}

/** The registrant confirms in their browser; the customer's sync then runs at once. */
export async function verifyEmailAndResync(page: Page, email: string) {
  await confirmFromInbox(page, email);
  return waitForSyncToSettle(email);
}

export const REGISTRANT_PASSWORD = "a long password";

/** Signs `page` in through the form (registration never signs in: docs/decisions/022). */
export async function signIn(page: Page, email: string, password = REGISTRANT_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/account/);
}

/**
 * Registers through the four steps as a customer who picks up in store (returning unless told "new"); the answer
 * is "check your email". Then signs in unless told not to, as the registrant does to see their account.
 */
export async function registerForPickup(page: Page, p: { first: string; last: string; email: string; customer?: "new" | "returning"; signIn?: boolean }) {
  await page.goto("/register");
  await page.getByLabel("First name").fill(p.first);
  await page.getByLabel("Last name").fill(p.last);
  await page.getByLabel("Email").fill(p.email);
  await page.getByLabel("Mobile number").fill("0917 123 4567");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("radio", { name: p.customer === "new" ? /I'm a new customer/ : /I'm a returning customer/ }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("radio", { name: /Pickup/ }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Password", { exact: true }).fill(REGISTRANT_PASSWORD);
  await page.getByLabel("Confirm password").fill(REGISTRANT_PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/register\/sent$/);
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  if (p.signIn !== false) await signIn(page, p.email);
}
