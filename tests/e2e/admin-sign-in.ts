// Every browser test that needs an admin signs one in here: a new admin (enrolled by the one admin sign-in
// helper, tools/admin-sign-in.ts) through the sign-in pages, as a person would.
import { expect, type Page } from "@playwright/test";
import { enrolAdmin, newAdminLogin, type AdminLogin } from "@tools/admin-sign-in";
import { openNodeDb } from "@tools/local-stack/node-db";

/** Enrols a new admin in the browser tests' database. */
export async function newAdmin(): Promise<AdminLogin> {
  const admin = newAdminLogin("e2e.admin");
  const { db, close } = openNodeDb(process.env.E2E_DATABASE_URL!, 1);
  try {
    await enrolAdmin(db, admin);
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
  await expect(page).toHaveURL(opts.landsOn ?? /\/admin$/);
  return admin;
}
