// The one way every tool signs an admin in over HTTP (issue 23): the workerd tests (tests/workers/support/sign-in.ts),
// the browser tests (tests/e2e/admin-sign-in.ts, which computes the code the same way), the chaos run's admin
// and the bench's. It also enrols such an admin: a password and a TOTP secret the caller knows.
import { sql } from "drizzle-orm";
import { hashPassword } from "~/auth/password.server";
import type { SqlRunner } from "~/db/client.server";

export type AdminLogin = { email: string; password: string };

/** Anything that posts a form the way a browser without JavaScript does and keeps the cookies it is given. */
export type FormPoster = { post(path: string, fields: Record<string, string>): Promise<Response> };

/** A new admin's sign-in (a unique address each call). */
export function newAdminLogin(prefix = "admin"): AdminLogin {
  return { email: `${prefix}.${crypto.randomUUID().slice(0, 8)}@example.com`, password: "correct horse battery staple" };
}

/** Creates the admin (or makes the address an admin with this password). Returns its id. */
export async function enrolAdmin(db: SqlRunner, admin: AdminLogin): Promise<string> {
  const passwordHash = await hashPassword(admin.password);
  const result = await db.execute(sql`
    insert into users (email, password_hash, role, email_verified_at) values (${admin.email}, ${passwordHash}, 'admin', now())
    on conflict (lower(email)) do update set password_hash = excluded.password_hash, role = 'admin'
    returning id`);
  return (result.rows[0] as { id: string }).id;
}

/** Signs the admin in through /login; throws with the step and status that failed. */
export async function signInAdmin(browser: FormPoster, admin: AdminLogin): Promise<void> {
  const res = await browser.post("/login", { email: admin.email, password: admin.password, redirectTo: "" });
  if (res.status !== 302) throw new Error(`admin sign-in (password) answered ${res.status}`);
}
