import { expect, test, type Page } from "@playwright/test";
import fs from "node:fs";
import pg from "pg";
import { SandboxControl } from "@tools/zoho-sandbox/control-client";
import { signInAsAdmin } from "./admin-sign-in";

test.describe.configure({ mode: "serial" });

const shots = "tests/e2e/screenshots";
async function screenshot(page: Page, name: string) {
  fs.mkdirSync(shots, { recursive: true });
  const body = await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
  await test.info().attach(name, { body, contentType: "image/png" });
}


async function openCustomer(page: Page, search: string) {
  await page.goto(`/admin/customers?q=${encodeURIComponent(search)}`);
  await page.getByRole("link", { name: /^View / }).first().click();
  await expect(page.getByRole("heading", { name: "Zoho Books" })).toBeVisible();
}

async function waitForStatus(page: Page, label: string) {
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("sync-status")).toHaveText(label, { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
}

test.beforeAll(async ({ request }) => {
  // The hourly sweep puts the seeded pending customers on the queue; the consumer syncs them.
  expect((await request.get("/__scheduled?cron=0+*+*+*+*")).status()).toBe(200);
});

test("the list filters by status, searches, and keeps the filters in the URL", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto("/admin/customers");
  await expect(page.getByRole("cell", { name: "Maria Demo", exact: true })).toBeVisible();
  await page.getByRole("link", { name: /^Failed \(\d+\)$/ }).click();
  await expect(page).toHaveURL(/status=failed/);
  await expect(page.getByRole("cell", { name: "Nobody Known", exact: true })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Maria Demo", exact: true })).toHaveCount(0);
  await page.getByLabel("Name or email").fill("nobody.known");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/status=failed.*q=nobody\.known|q=nobody\.known.*status=failed/);
  await page.reload();
  await expect(page.getByRole("cell", { name: "nobody.known@example.com", exact: true })).toBeVisible();
  await page.getByLabel("Name or email").fill("zzz-no-such-customer");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("No customers match these filters.")).toBeVisible();
  await page.goto("/admin/customers");
  await screenshot(page, "admin-customer-list");
});

test("retrying a failed customer after fixing Zoho makes it synced", async ({ page }) => {
  await new SandboxControl(process.env.E2E_SANDBOX_URL!).addContact({ contact_name: "Nobody Known", email: "nobody.known@example.com" });
  await signInAsAdmin(page);
  await openCustomer(page, "nobody.known@example.com");
  await expect(page.getByTestId("sync-error")).toHaveText("No matching contact found in Zoho Books");
  await screenshot(page, "admin-detail-failed");
  await page.getByRole("button", { name: "Retry sync" }).click();
  await expect(page.getByRole("status")).toContainText("Sync queued");
  await waitForStatus(page, "Synced");
  await expect(page.getByText("Nobody Known (id")).toBeVisible();
  await screenshot(page, "admin-detail-synced");
});

test("an admin picks the right candidate for a customer in review", async ({ page }) => {
  const admin = await signInAsAdmin(page);
  await openCustomer(page, "shared@example.com");
  await waitForStatus(page, "Review");
  await screenshot(page, "admin-detail-review");
  await page.getByRole("button", { name: /Link Shared Inbox Office/ }).click();
  await expect(page.getByRole("status")).toContainText("Linked to Shared Inbox Office");
  await expect(page.getByTestId("sync-status")).toHaveText("Manual");
  // The browser tests sign in a new admin each time (a TOTP code works once): the timeline names that one.
  await expect(page.getByRole("cell", { name: `admin link by ${admin.email}` })).toBeVisible();
  await screenshot(page, "admin-detail-manual");
});

test("an admin unlinks a contact, then links another one found by search", async ({ page }) => {
  await signInAsAdmin(page);
  await openCustomer(page, "ana.lopez@example.com");
  await waitForStatus(page, "Synced");
  await page.getByRole("button", { name: "Unlink" }).click();
  await expect(page.getByRole("status")).toContainText("Unlinked");
  await expect(page.getByTestId("sync-status")).toHaveText("Failed");
  await page.getByLabel("Search Zoho contacts by name or email").fill("Lopez Trading");
  await page.getByRole("button", { name: "Search Zoho" }).click();
  await page.getByRole("button", { name: /Link Lopez Trading/ }).click();
  await expect(page.getByRole("status")).toContainText("Linked to Lopez Trading");
  await expect(page.getByTestId("sync-status")).toHaveText("Manual");
});

test("a customer waiting to sync shows as pending, with why it waits", async ({ page }) => {
  const db = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await db.connect();
  // A customer waiting out Zoho's per-minute limit (the state a 429 leaves): pending, with the wait's note.
  const note = "Waiting: Zoho's per-minute limit was reached; the next try is in about an hour.";
  await db.query(
    `insert into customers (first_name, last_name, email, phone, delivery_method, zoho_sync_status, zoho_sync_error)
     values ('Penny', 'Pending', 'penny.pending@example.com', '+639170000000', 'pickup', 'pending', $1)`,
    [note],
  );
  await db.end();
  await signInAsAdmin(page);
  await openCustomer(page, "penny.pending");
  await expect(page.getByTestId("sync-status")).toHaveText("Pending");
  await expect(page.getByTestId("sync-error")).toHaveText(note);
  await screenshot(page, "admin-detail-pending");
});

test("the dashboard's numbers match the database", async ({ page }) => {
  const db = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await db.connect();
  const { rows } = await db.query<{ status: string; n: number }>("select zoho_sync_status as status, count(*)::int as n from customers group by 1");
  const [{ total }] = (await db.query<{ total: number }>("select coalesce(sum(total), 0)::int as total from zoho_api_ledger where day = (now() at time zone 'utc')::date")).rows;
  await db.end();
  await signInAsAdmin(page);
  for (const status of ["pending", "syncing", "synced", "failed", "skipped", "manual"]) {
    const expected = rows.find((r) => r.status === status)?.n ?? 0;
    await expect(page.getByTestId(`count-${status}`).locator(".stat")).toHaveText(String(expected));
  }
  // The whole figure: "<today's calls> / <daily limit>" (a bare "contains" would pass for any total containing the digits).
  await expect(page.getByTestId("calls-today")).toHaveText(new RegExp(`^\\s*${total}\\s*/\\s*\\d+\\s*$`));
  await expect(page.getByTestId("last-run")).not.toHaveText("Not run yet");
  await screenshot(page, "admin-dashboard");
});
