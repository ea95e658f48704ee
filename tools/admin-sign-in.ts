// The one way every tool signs an admin in over HTTP (issue 23): the workerd tests (tests/workers/support/sign-in.ts),
// the browser tests (tests/e2e/admin-sign-in.ts, which computes the code the same way), the chaos run's admin
// and the bench's. It also enrols such an admin: a password and a TOTP secret the caller knows.
import { sql } from "drizzle-orm";
import { totpCode, TOTP_PERIOD_SECONDS } from "~/auth/factors/totp";
import { hashPassword } from "~/auth/password.server";
import type { SqlRunner } from "~/db/client.server";
import { encryptSecret } from "~/zoho/crypto.server";

/** `totpSecret`: base32, as an authenticator app is given it. */
export type AdminLogin = { email: string; password: string; totpSecret: string };

/** Anything that posts a form the way a browser without JavaScript does and keeps the cookies it is given. */
export type FormPoster = { post(path: string, fields: Record<string, string>): Promise<Response> };

/** A known secret for tools' admins (any base32 of 16+ bytes works). */
export const KNOWN_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/** A new admin's sign-in (a unique address each call). */
export function newAdminLogin(prefix = "admin"): AdminLogin {
  return { email: `${prefix}.${crypto.randomUUID().slice(0, 8)}@example.com`, password: "correct horse battery staple", totpSecret: KNOWN_TOTP_SECRET };
}

/**
 * Creates the admin (or makes the address an admin with this password) with an authenticator app whose secret
 * is `admin.totpSecret` (encrypted with the Worker's TOKEN_ENCRYPTION_KEY, as the app stores it). Returns its id.
 */
export async function enrolAdmin(db: SqlRunner, admin: AdminLogin, encryptionKey: string, adminRole: "owner" | "staff" = "owner"): Promise<string> {
  const passwordHash = await hashPassword(admin.password);
  const result = await db.execute(sql`
    insert into users (email, password_hash, role, admin_role, email_verified_at) values (${admin.email}, ${passwordHash}, 'admin', ${adminRole}, now())
    on conflict (lower(email)) do update set password_hash = excluded.password_hash, role = 'admin', admin_role = excluded.admin_role
    returning id`);
  const id = (result.rows[0] as { id: string }).id;
  await db.execute(sql`delete from admin_factors where user_id = ${id} and kind = 'totp'`);
  await db.execute(sql`insert into admin_factors (user_id, kind, totp_secret_encrypted, label)
    values (${id}, 'totp', ${await encryptSecret(admin.totpSecret, encryptionKey)}, 'Authenticator app')`);
  return id;
}

/**
 * Signs the admin in: the password on /login, then the authenticator app's code on /login/factor. A code works
 * once: when the one of this moment was already used (this admin signed in moments ago), it waits for the next.
 * Throws with the step and status that failed.
 */
export async function signInAdmin(browser: FormPoster, admin: AdminLogin): Promise<void> {
  const res = await browser.post("/login", { email: admin.email, password: admin.password, redirectTo: "" });
  if (res.status !== 302) throw new Error(`admin sign-in (password) answered ${res.status}`);
  if (!res.headers.get("Location")?.startsWith("/login/factor")) return; // no factor yet: the guard asks for one
  for (let attempt = 0; attempt < 2; attempt++) {
    const factor = await browser.post("/login/factor", { code: totpCode(admin.totpSecret), intent: "verify" });
    if (factor.status === 302) return;
    if (attempt === 0 && factor.status === 400) await new Promise((r) => setTimeout(r, msToNextStep()));
    else throw new Error(`admin sign-in (factor) answered ${factor.status}`);
  }
}

/**
 * A code of the admin's app that signing in has not used yet: the next 30-second step's (the app accepts one step
 * of clock drift). For confirming a dangerous action again right after signing in, without waiting for the app.
 */
export function nextFactorCode(admin: AdminLogin, now = Date.now()): string {
  return totpCode(admin.totpSecret, now + TOTP_PERIOD_SECONDS * 1000);
}

function msToNextStep(now = Date.now()) {
  const period = TOTP_PERIOD_SECONDS * 1000;
  return period - (now % period) + 50;
}
