// A browser signed in as a fresh user of the given role (through the real /login form; an admin through the
// one admin sign-in helper, tools/admin-sign-in.ts, which also enrols them). An admin is an owner unless
// `adminRole` says "staff".
import { expect } from "vitest";
import { totpCode } from "~/auth/factors/totp";
import type { WorkerEnv } from "~/context.server";
import { enrolAdmin, newAdminLogin, signInAdmin, type AdminLogin } from "@tools/admin-sign-in";
import { browser, type Browser } from "./browser";
import { testDb } from "./database";
import { createUser } from "./factories";

export async function signedIn(
  env: WorkerEnv,
  databaseUrl: string,
  role: "admin" | "customer",
  adminRole?: "owner" | "staff",
): Promise<Browser & { email: string; userId: string }> {
  if (role === "admin") {
    const admin = await enrolledAdmin(env, databaseUrl, newAdminLogin(), adminRole);
    return Object.assign(await signedInAdmin(env, admin), { email: admin.email, userId: admin.id });
  }
  const user = await createUser(databaseUrl, { role });
  const b = browser(env);
  const res = await b.post("/login", { email: user.email, password: user.password, redirectTo: "" });
  if (res.status !== 302) throw new Error(`sign-in as ${role} failed with ${res.status}`);
  return Object.assign(b, { email: user.email, userId: user.id });
}

/** A new admin in the test's database, with what signing in needs. */
export async function enrolledAdmin(
  env: WorkerEnv,
  databaseUrl: string,
  admin: AdminLogin = newAdminLogin(),
  adminRole: "owner" | "staff" = "owner",
): Promise<AdminLogin & { id: string }> {
  const { db, close } = testDb(databaseUrl);
  try {
    return { ...admin, id: await enrolAdmin(db, admin, String(env.TOKEN_ENCRYPTION_KEY), adminRole) };
  } finally {
    await close();
  }
}

/** A browser in which `admin` signed in (opts.address: its client address). */
export async function signedInAdmin(env: WorkerEnv, admin: AdminLogin, opts: { address?: string } = {}): Promise<Browser> {
  const b = browser(env, opts);
  await signInAdmin(b, admin);
  return b;
}

/** Sets up an authenticator app on /admin/security as a person would; returns its secret and the recovery codes shown. */
export async function setUpAuthenticatorApp(b: Browser) {
  expect((await b.post("/admin/security", { intent: "start-totp" })).status).toBe(200);
  const page = await (await b.get("/admin/security")).text();
  const secret = page.match(/data-testid="totp-secret">([A-Z2-7 ]+)</)![1].replaceAll(" ", "");
  const confirmed = await b.post("/admin/security", { intent: "confirm-totp", code: totpCode(secret) });
  expect(confirmed.status).toBe(200);
  const html = await confirmed.text();
  const codes = [...html.matchAll(/<li><code>([a-z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]);
  return { secret, codes };
}
