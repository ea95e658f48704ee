// The owner of an email proves it (issue 11). The mail flow (verification link, job made due on
// verification) belongs to another module; these browser tests mark the address verified directly in
// the database and make the customer's sync job due again, as that flow will.
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import pg from "pg";

async function withDb<T>(fn: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
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

/** Marks the address verified and runs the customer's sync again (through the hourly sweep and the queue). */
export async function verifyEmailAndResync(request: APIRequestContext, email: string) {
  await waitForSyncToSettle(email);
  await withDb(async (db) => {
    await db.query(`update users set email_verified_at = now() where lower(email) = lower($1)`, [email]);
    await db.query(
      `update zoho_sync_queue set processed_at = null, scheduled_for = now(), attempts = 0, enqueued_at = null, locked_until = null, locked_by = null
       where id = (select q.id from zoho_sync_queue q join customers c on c.id = q.customer_id where lower(c.email) = lower($1) order by q.created_at desc limit 1)`,
      [email],
    );
    await db.query(`update customers set zoho_sync_status = 'pending' where lower(email) = lower($1)`, [email]);
  });
  expect((await request.get("/__scheduled?cron=0+*+*+*+*")).status()).toBe(200);
  return waitForSyncToSettle(email);
}

/** Registers through the four steps as a returning customer who picks up in store. */
export async function registerReturning(page: Page, p: { first: string; last: string; email: string }) {
  await page.goto("/register");
  await page.getByLabel("First name").fill(p.first);
  await page.getByLabel("Last name").fill(p.last);
  await page.getByLabel("Email").fill(p.email);
  await page.getByLabel("Mobile number").fill("0917 123 4567");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("radio", { name: /I'm a returning customer/ }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("radio", { name: /Pickup/ }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Password", { exact: true }).fill("a long password");
  await page.getByLabel("Confirm password").fill("a long password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/account\?welcome=1$/);
}
