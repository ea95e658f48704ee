// Every page a customer or admin sees, checked with axe-core in Chromium: no serious or critical
// violations. New pages go in PAGES (one line each); `path` may look an id up in the database.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Cookie, type Page } from "@playwright/test";
import { createHash } from "node:crypto";
import pg from "pg";
import { DEMO_CUSTOMER } from "@tools/local-stack/seed";
import { inviteAfterTheWindow, newAdmin, passwordStep, signInAsAdmin } from "./admin-sign-in";
import { query } from "./simulate-verification";

type Who = "anonymous" | "customer" | "admin";
/**
 * `before` replaces the sign-in when a page needs a browser in a particular state (just registered, another
 * account); `path: null` checks the page `before` leaves the browser on (a form's answer, like the re-auth step).
 */
type PageToCheck = { name: string; who: Who; path: string | null | (() => Promise<string>); before?: (page: Page) => Promise<void> };

/**
 * A fresh account (unconfirmed, with a customer record) and a working link of `purpose` for it, made in the
 * database: the pages of mailed links, without waiting for mail. Its password is the demo customer's.
 */
async function accountWithLink(purpose: "verify_email" | "change_email" | "undo_email_change", opts: { takenBack?: boolean } = {}) {
  const email = `a11y.${crypto.randomUUID().slice(0, 8)}@example.com`;
  const [user] = await query<{ id: string }>(
    `insert into users (email, password_hash, role, pending_email, pending_email_at, taken_back_at, email_verified_at)
     select $1, password_hash, 'customer', $2, now(), $3, $4 from users where email = $5 returning id`,
    [email, purpose === "verify_email" ? null : `new.${email}`, opts.takenBack ? new Date() : null, purpose === "verify_email" ? null : new Date(), DEMO_CUSTOMER.email],
  );
  await query(`insert into customers (user_id, first_name, last_name, email, phone, delivery_method) values ($1, 'Alma', 'Access', $2, '+639170001111', 'pickup')`, [user.id, email]);
  const token = crypto.randomUUID();
  const hash = createHash("sha256").update(token).digest("hex");
  await query(`insert into email_tokens (token_hash, user_id, purpose, email, expires_at) values ($1, $2, $3, $4, now() + interval '1 hour')`, [
    hash,
    user.id,
    purpose,
    purpose === "change_email" ? `new.${email}` : email,
  ]);
  return { email, token };
}

const MAIL_LINK_PAGES = { verify_email: "/verify-email", change_email: "/confirm-email-change", undo_email_change: "/undo-email-change" } as const;
const mailLinkPage = (purpose: keyof typeof MAIL_LINK_PAGES) => async () => `${MAIL_LINK_PAGES[purpose]}?token=${(await accountWithLink(purpose)).token}`;

async function signInAsNew(page: Page, opts: { takenBack?: boolean }) {
  const { email } = await accountWithLink("verify_email", opts);
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_CUSTOMER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/account/);
}

async function adminSettingUpApp(page: Page) {
  await passwordStep(page, await newAdmin({ factor: false }));
  await expect(page).toHaveURL(/\/admin\/security$/);
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  await expect(page.getByRole("img", { name: /QR code/ })).toBeVisible();
}

async function justRegistered(page: Page) {
  await page.goto("/register");
  await page.getByLabel("First name").fill("Alma");
  await page.getByLabel("Last name").fill("Access");
  await page.getByLabel("Email").fill(`a11y.reg.${crypto.randomUUID().slice(0, 8)}@example.com`);
  await page.getByLabel("Mobile number").fill("0917 123 4567");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("radio", { name: /I'm a new customer/ }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("radio", { name: /Pickup/ }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Password", { exact: true }).fill("a long password");
  await page.getByLabel("Confirm password").fill("a long password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/register\/sent$/);
}

/** An invitation to the admin console made in the database, and its link's page (without waiting for mail). */
async function invitationPage() {
  const token = crypto.randomUUID();
  const hash = createHash("sha256").update(token).digest("hex");
  await query(`insert into admin_invitations (email, admin_role, token_hash, expires_at) values ($1, 'staff', $2, now() + interval '1 hour')`, [
    `a11y.invitee.${crypto.randomUUID().slice(0, 8)}@example.com`,
    hash,
  ]);
  return `/accept-invitation?token=${token}`;
}

/** A staff admin to remove: the admins page asking "Remove …?". */
async function removeAdminPage() {
  const [user] = await query<{ id: string }>(
    `insert into users (email, password_hash, role, admin_role, email_verified_at) select $1, password_hash, 'admin', 'staff', now() from users where role = 'admin' limit 1 returning id`,
    [`a11y.staff.${crypto.randomUUID().slice(0, 8)}@example.com`],
  );
  return `/admin/admins?remove=${user.id}`;
}

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
  // Issue 23: admins and invitations (the seeded admin is an owner).
  { name: "admins and invitations", who: "admin", path: "/admin/admins" },
  { name: "remove an admin (confirmation)", who: "admin", path: removeAdminPage },
  { name: "accept an admin invitation (a mailed link)", who: "anonymous", path: invitationPage },
  { name: "an admin invitation that no longer works", who: "anonymous", path: "/accept-invitation?token=no-such-invitation" },
  // Issue 23: the second factor.
  { name: "sign-in security", who: "admin", path: "/admin/security" },
  { name: "sign-in security, setting up an app (QR code)", who: "anonymous", path: "/admin/security", before: adminSettingUpApp },
  { name: "second step of signing in (admin)", who: "anonymous", path: "/login/factor", before: async (page) => passwordStep(page, await newAdmin()) },
  // Issue 23: the re-auth step of a dangerous action (an invitation after the window).
  {
    name: "confirm it is you (re-auth step)",
    who: "anonymous",
    path: null,
    before: async (page) => inviteAfterTheWindow(page, await signInAsAdmin(page), `a11y.reauth.${crypto.randomUUID().slice(0, 8)}@staff.example`),
  },
  // Issue 23: the audit log and the Zoho call log.
  { name: "audit log", who: "admin", path: "/admin/audit" },
  { name: "audit log, filtered (and an invalid filter)", who: "admin", path: "/admin/audit?action=sign_in&customer=not-a-uuid" },
  { name: "audit log, nothing matches", who: "admin", path: "/admin/audit?from=2000-01-01&to=2000-01-02" },
  { name: "Zoho calls", who: "admin", path: "/admin/zoho-calls" },
  // Issue 20: what differs between the portal and Zoho (the mirror), and an invalid kind in the URL.
  { name: "reconciliation", who: "admin", path: "/admin/reconciliation" },
  { name: "reconciliation, an invalid kind", who: "admin", path: "/admin/reconciliation?kind=nonsense" },
  { name: "Zoho calls, errors only", who: "admin", path: "/admin/zoho-calls?outcome=error" },
  // Issue 19: mailed links' pages, the answer to a registration, and the customer's own account.
  { name: "check your email (after registering)", who: "anonymous", path: "/register/sent", before: justRegistered },
  { name: "confirm your email (a mailed link)", who: "anonymous", path: mailLinkPage("verify_email") },
  { name: "confirm a new email address (a mailed link)", who: "anonymous", path: mailLinkPage("change_email") },
  { name: "undo an email change (a mailed link)", who: "anonymous", path: mailLinkPage("undo_email_change") },
  { name: "my account, not confirmed yet (code form)", who: "customer", path: "/account", before: (page) => signInAsNew(page, {}) },
  { name: "my details", who: "customer", path: "/account/profile" },
  { name: "check the details of a taken-back account", who: "customer", path: "/account/profile", before: (page) => signInAsNew(page, { takenBack: true }) },
  { name: "change my email address", who: "customer", path: "/account/email" },
  { name: "delete my account", who: "customer", path: "/account/delete" },
];

async function signInAsCustomer(page: Page) {
  const { email, password } = DEMO_CUSTOMER;
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/account/);
}

// One admin and the demo customer sign in once through the pages (as people do); each page's test starts a
// fresh browser with their session cookies, so what is checked is each page, not the sign-in forty times.
const sessions: Partial<Record<Exclude<Who, "anonymous">, Cookie[]>> = {};

async function signIn(page: Page, who: Who) {
  if (who === "anonymous") return;
  await page.context().addCookies(sessions[who]!);
}

test.beforeAll(async ({ browser }) => {
  for (const [who, signInThere] of [["admin", (page: Page) => signInAsAdmin(page)], ["customer", signInAsCustomer]] as const) {
    const context = await browser.newContext();
    await signInThere(await context.newPage());
    sessions[who] = await context.cookies();
    await context.close();
  }
});

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

for (const { name, who, path, before } of PAGES) {
  test(`${name} (${who}) has no serious or critical accessibility violations`, async ({ page }) => {
    await (before ? before(page) : signIn(page, who));
    const url = path === null ? page.url() : typeof path === "string" ? path : await path();
    if (path !== null) {
      const response = await page.goto(url);
      expect(response?.status(), `${url} loads`).toBe(name === "page not found" ? 404 : 200);
    }
    await page.waitForLoadState("networkidle");
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.passes.length, "axe checked the page").toBeGreaterThan(0);
    const serious = results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id}: ${v.help} → ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    expect(serious, `${url}\n${serious.join("\n")}`).toEqual([]);
  });
}
