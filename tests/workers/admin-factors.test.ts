// Issue 23: an admin's second factor. No factor: every admin page and API sends them to set one up. Sign-in is
// the password, then the code; wrong, used and replayed codes are refused and throttled; a recovery code
// works once; an admin's emailed password reset needs the factor too. Customers are unaffected.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { totpCode } from "~/auth/factors/totp";
import { newAdminLogin } from "@tools/admin-sign-in";
import { browser, type Browser } from "./support/browser";
import { freshDatabase, sql } from "./support/database";
import { createCustomerWithJob, createUser } from "./support/factories";
import { linkFromMail } from "./support/mail-links";
import { enrolledAdmin, setUpAuthenticatorApp, signedIn } from "./support/sign-in";
import { testEnv } from "./support/worker-env";

let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await freshDatabase();
});
beforeEach(async () => {
  await sql(databaseUrl, "truncate auth_throttle");
});
const env = () => testEnv(databaseUrl).env;
const PERIOD = 30_000;

async function passwordStep(b: Browser, admin: { email: string; password: string }) {
  const res = await b.post("/login", { email: admin.email, password: admin.password, redirectTo: "" });
  expect(res.status).toBe(302);
  return res.headers.get("Location");
}

/** An admin without a second factor (as `npm run admin:create` leaves the first owner), signed in with the password. */
async function adminWithoutFactor() {
  const user = await createUser(databaseUrl, { role: "admin" });
  const b = browser(env());
  expect(await passwordStep(b, user)).toBe("/admin");
  return { b, user };
}

describe("an admin without a second factor", () => {
  it("is sent to set one up from every admin page, and refused by every admin API", async () => {
    const { b } = await adminWithoutFactor();
    const { customer } = await createCustomerWithJob(databaseUrl);
    for (const path of ["/admin", "/admin/customers", `/admin/customers/${customer.id}`, "/admin/zoho"]) {
      const res = await b.get(path);
      expect(res.status, path).toBe(302);
      expect(res.headers.get("Location"), path).toBe("/admin/security");
    }
    for (const [path, fields] of [["/admin?index", { intent: "backfill" }], ["/admin/zoho", { intent: "disconnect" }], [`/admin/customers/${customer.id}`, { intent: "unlink" }]] as const) {
      const res = await b.post(path, fields);
      expect(res.headers.get("Location"), path).toBe("/admin/security");
    }
    const api = await b.api("POST", `/api/admin/customers/${customer.id}/zoho-sync`);
    expect(api.status).toBe(403);
    expect(await api.json()).toEqual({ error: "Set up a second factor first (/admin/security)." });
    const setup = await b.get("/admin/security");
    expect(setup.status).toBe(200);
    expect(await setup.text()).toContain("Set one up to continue");
  });

  it("sets up an app with a QR code and the secret as text, then reaches the console and signs in with it next time", async () => {
    const { b, user } = await adminWithoutFactor();
    expect((await b.post("/admin/security", { intent: "start-totp" })).status).toBe(200);
    const page = await (await b.get("/admin/security")).text();
    expect(page).toMatch(/role="img" aria-label="QR code to add [^"]+ to an authenticator app"><svg/);
    const secret = page.match(/data-testid="totp-secret">([A-Z2-7 ]+)</)![1].replaceAll(" ", "");
    expect((await b.post("/admin/security", { intent: "confirm-totp", code: "000000" === totpCode(secret) ? "111111" : "000000" })).status).toBe(400);
    const confirmCode = totpCode(secret);
    const confirmed = await b.post("/admin/security", { intent: "confirm-totp", code: confirmCode });
    const codes = [...(await confirmed.text()).matchAll(/<li><code>([a-z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect((await b.get("/admin")).status).toBe(200);
    // Stored encrypted and hashed: neither the secret nor a code is in the database as typed.
    const rows = (await sql(databaseUrl, "select totp_secret_encrypted from admin_factors where user_id = $1", [user.id])) as Array<{ totp_secret_encrypted: string }>;
    expect(rows[0].totp_secret_encrypted).toMatch(/^v1\./);
    expect(rows[0].totp_secret_encrypted).not.toContain(secret);
    const hashes = (await sql(databaseUrl, "select code_hash from admin_recovery_codes where user_id = $1", [user.id])) as Array<{ code_hash: string }>;
    expect(hashes).toHaveLength(10);
    expect(hashes.map((h) => h.code_hash)).not.toContain(codes[0].replace("-", ""));
    // Next sign-in asks for the app's code (the one just used to confirm is used up: wait for the next step).
    const next = browser(env());
    expect(await passwordStep(next, user)).toBe("/login/factor");
    // (The code as it was typed at setup: read again now, it could belong to the next step if one began meanwhile.)
    expect((await next.post("/login/factor", { code: confirmCode })).status).toBe(400);
    expect((await next.post("/login/factor", { code: totpCode(secret, Date.now() + PERIOD) })).status).toBe(302);
  });
});

describe("signing in with the second factor", () => {
  it("the password alone reaches no admin page; the code from the app does", async () => {
    const admin = await enrolledAdmin(env(), databaseUrl);
    const b = browser(env());
    expect(await passwordStep(b, admin)).toBe("/login/factor");
    for (const path of ["/admin", "/admin/security"]) expect((await b.get(path)).headers.get("Location"), path).toMatch(/^\/login\?redirectTo=/);
    expect((await b.api("POST", "/api/admin/customers/00000000-0000-0000-0000-000000000000/zoho-sync")).status).toBe(401);
    const res = await b.post("/login/factor", { code: totpCode(admin.totpSecret) });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/admin");
    expect((await b.get("/admin")).status).toBe(200);
  });

  it("a wrong code, a code already used and an older code are refused", async () => {
    const admin = await enrolledAdmin(env(), databaseUrl);
    const first = browser(env());
    await passwordStep(first, admin);
    const now = totpCode(admin.totpSecret);
    const wrong = now === "123456" ? "654321" : "123456";
    const refused = await first.post("/login/factor", { code: wrong });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("That code is not right.");
    expect((await first.post("/login/factor", { code: now })).status).toBe(302);
    // Another browser (an attacker who saw the code) with the same code in the same window.
    const second = browser(env());
    await passwordStep(second, admin);
    const reused = await second.post("/login/factor", { code: now });
    expect(reused.status).toBe(400);
    expect(await reused.text()).toContain("That code has already been used.");
    // The previous step's code (still inside the drift window) is older than the one used: refused too.
    expect((await second.post("/login/factor", { code: totpCode(admin.totpSecret, Date.now() - PERIOD) })).status).toBe(400);
    expect((await second.get("/admin")).status).toBe(302);
  });

  it("five wrong codes from one address: it waits, even with the right code; the admin elsewhere is not refused", async () => {
    const admin = await enrolledAdmin(env(), databaseUrl);
    const attacker = browser(env(), { address: "203.0.113.9" });
    await passwordStep(attacker, admin);
    const right = totpCode(admin.totpSecret);
    const wrong = right === "000000" ? "999999" : "000000";
    for (let i = 0; i < 5; i++) expect((await attacker.post("/login/factor", { code: wrong })).status).toBe(400);
    const waiting = await attacker.post("/login/factor", { code: right });
    expect(waiting.status).toBe(429);
    expect(Number(waiting.headers.get("Retry-After"))).toBeGreaterThan(14 * 60);
    expect(await waiting.text()).toContain("Too many wrong codes. Please try again in 15 minutes.");
    const owner = browser(env(), { address: "198.51.100.20" });
    await passwordStep(owner, admin);
    expect((await owner.post("/login/factor", { code: right })).status).toBe(302);
  });

  it("a recovery code signs in once", async () => {
    const { b, user } = await adminWithoutFactor();
    const { codes } = await setUpAuthenticatorApp(b);
    const once = browser(env());
    await passwordStep(once, user);
    expect((await once.post("/login/factor", { code: codes[3].toUpperCase() })).status).toBe(302);
    expect((await once.get("/admin/security")).status).toBe(200);
    expect(await (await once.get("/admin/security")).text()).toContain("9 of 10 unused.");
    const twice = browser(env());
    await passwordStep(twice, user);
    const again = await twice.post("/login/factor", { code: codes[3] });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("That code has already been used.");
  });

  it("customers sign in with their password alone, as before", async () => {
    const b = await signedIn(env(), databaseUrl, "customer");
    expect((await b.get("/account")).status).toBe(200);
  });
});

describe("an admin's password reset by email", () => {
  it("needs the factor's code (or a recovery code) too", async () => {
    const admin = await enrolledAdmin(env(), databaseUrl, newAdminLogin("reset"));
    const b = browser(env());
    expect((await b.post("/forgot-password", { email: admin.email })).status).toBeLessThan(400);
    const link = await linkFromMail(admin.email, /password/i, "/reset-password");
    const page = await (await b.get(link)).text();
    expect(page).toContain("This is an admin account");
    const token = new URL(link, "http://x").searchParams.get("token")!;
    const fields = { token, password: "a brand new password", confirmPassword: "a brand new password" };
    const without = await b.post(link, fields);
    expect(without.status).toBe(400);
    const wrongCode = totpCode(admin.totpSecret) === "000000" ? "999999" : "000000";
    expect((await b.post(link, { ...fields, code: wrongCode })).status).toBe(400);
    const done = await b.post(link, { ...fields, code: totpCode(admin.totpSecret) });
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe("/login");
    const next = browser(env());
    expect(await passwordStep(next, { email: admin.email, password: "a brand new password" })).toBe("/login/factor");
  });
});
