// Every browser test that needs an admin signs one in here: a new admin (enrolled by the one admin sign-in
// helper, tools/admin-sign-in.ts, with its known TOTP secret) through the sign-in pages, as a person would:
// the password, then the code the authenticator app would show now. A new admin each time, since a code
// works once.
import { expect, type Page } from "@playwright/test";
import { sql } from "drizzle-orm";
import { totpCode } from "~/auth/factors/totp";
import { enrolAdmin, newAdminLogin, type AdminLogin } from "@tools/admin-sign-in";
import { openNodeDb } from "@tools/local-stack/node-db";

/** Enrols a new admin in the browser tests' database (`factor: false`: one who has yet to set a factor up). */
export async function newAdmin(opts: { factor?: boolean } = {}): Promise<AdminLogin> {
  const admin = newAdminLogin("e2e.admin");
  const { db, close } = openNodeDb(process.env.E2E_DATABASE_URL!, 1);
  try {
    const id = await enrolAdmin(db, admin, process.env.E2E_TOKEN_ENCRYPTION_KEY!);
    if (opts.factor === false) await db.execute(sql`delete from admin_factors where user_id = ${id}`);
  } finally {
    await close();
  }
  return admin;
}

/**
 * Signs a (new, unless given) admin in from `/login` (or the sign-in page the browser is on when `from` is
 * null) and waits for the admin console. Returns who signed in.
 */
export async function signInAsAdmin(page: Page, opts: { admin?: AdminLogin; from?: string | null; landsOn?: RegExp } = {}): Promise<AdminLogin> {
  const admin = opts.admin ?? (await newAdmin());
  if (opts.from !== null) await page.goto(opts.from ?? "/login");
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/login\/factor$/);
  await page.getByLabel("Code").fill(totpCode(admin.totpSecret));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(opts.landsOn ?? /\/admin$/);
  return admin;
}

/** The password step only: the browser is left on /login/factor. */
export async function passwordStep(page: Page, admin: AdminLogin) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/**
 * Makes this admin's sessions' last factor check `minutesAgo` minutes old. The browser stack keeps the default
 * ADMIN_REAUTH_MINUTES (5, so the other browser tests never meet the re-auth step) and a browser cannot move the
 * Worker's clock: the re-auth tests move the check back instead (the workerd tests use the env and the clock).
 */
export async function ageFactorCheck(admin: AdminLogin, minutesAgo: number) {
  const { db, close } = openNodeDb(process.env.E2E_DATABASE_URL!, 1);
  try {
    const at = new Date(Date.now() - minutesAgo * 60_000).toISOString();
    await db.execute(sql`update sessions set data = jsonb_set(data, '{factorCheckedAt}', to_jsonb(${at}::text))
      where user_id = (select id from users where lower(email) = lower(${admin.email}))`);
  } finally {
    await close();
  }
}

/** An invitation that asks for the factor again: the admin's check made old, the invite form sent; the browser is left on the re-auth step. */
export async function inviteAfterTheWindow(page: Page, admin: AdminLogin, email: string) {
  await page.goto("/admin/admins");
  await ageFactorCheck(admin, 6);
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByRole("heading", { name: "Confirm it is you" })).toBeVisible();
}
