// Every page a customer or admin sees, checked with axe-core in Chromium: no serious or critical
// violations. New pages go in PAGES (one line each); `path` may look an id up in the database.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { DEMO_ADMIN, DEMO_CUSTOMER } from "@tools/local-stack/seed";

type Who = "anonymous" | "customer" | "admin";
type PageToCheck = { name: string; who: Who; path: string | (() => Promise<string>) };

async function customerPath(where: string, suffix = "") {
  const db = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await db.connect();
  try {
    const { rows } = await db.query<{ id: string }>(`select id from customers where ${where} order by created_at limit 1`);
    return rows[0] ? `/admin/customers/${rows[0].id}${suffix}` : "/admin/customers";
  } finally {
    await db.end();
  }
}

const PAGES: PageToCheck[] = [
  { name: "home", who: "anonymous", path: "/" },
  { name: "sign in", who: "anonymous", path: "/login" },
  { name: "register, step 1", who: "anonymous", path: "/register" },
  { name: "forgot password", who: "anonymous", path: "/forgot-password" },
  { name: "page not found", who: "anonymous", path: "/no-such-page" },
  { name: "my account", who: "customer", path: "/account" },
  { name: "my orders", who: "customer", path: "/account/orders" },
  { name: "admin dashboard", who: "admin", path: "/admin" },
  { name: "customer list", who: "admin", path: "/admin/customers" },
  { name: "customer list, filtered by reason", who: "admin", path: "/admin/customers?reason=unverified" },
  { name: "confirm all suggested links", who: "admin", path: "/admin/customers?confirm=all" },
  { name: "customer in review (several matches)", who: "admin", path: () => customerPath("lower(email) = 'shared@example.com'") },
  { name: "customer in review (one suggestion)", who: "admin", path: () => customerPath("lower(email) = 'juan@example.com'") },
  { name: "customer with a Zoho search", who: "admin", path: () => customerPath("zoho_sync_status = 'failed'", "?zq=Santos") },
  { name: "linked customer", who: "admin", path: () => customerPath("zoho_contact_id is not null") },
  { name: "Zoho connection", who: "admin", path: "/admin/zoho" },
];

async function signIn(page: Page, who: Who) {
  if (who === "anonymous") return;
  const { email, password } = who === "admin" ? DEMO_ADMIN : DEMO_CUSTOMER;
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(who === "admin" ? /\/admin$/ : /\/account/);
}

test.beforeAll(async ({ request }) => {
  // Sync the seeded customers first, so review, linked and failed states all exist to be checked.
  expect((await request.get("/__scheduled?cron=0+*+*+*+*")).status()).toBe(200);
  await expect(async () => {
    const db = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
    const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from customers where zoho_sync_status in ('pending', 'syncing')`);
    await db.end();
    expect(rows[0].n).toBe(0);
  }).toPass({ timeout: 30_000 });
});

for (const { name, who, path } of PAGES) {
  test(`${name} (${who}) has no serious or critical accessibility violations`, async ({ page }) => {
    await signIn(page, who);
    const url = typeof path === "string" ? path : await path();
    const response = await page.goto(url);
    expect(response?.status(), `${url} loads`).toBe(name === "page not found" ? 404 : 200);
    await page.waitForLoadState("networkidle");
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.passes.length, "axe checked the page").toBeGreaterThan(0);
    const serious = results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id}: ${v.help} → ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    expect(serious, `${url}\n${serious.join("\n")}`).toEqual([]);
  });
}
