import { beforeAll, describe, expect, it } from "vitest";
import { browser } from "./support/browser";
import { sessions } from "~/db/schema";
import { freshDatabase, testDb } from "./support/database";
import { createUser } from "./support/factories";
import { enrolledAdmin } from "./support/sign-in";
import { totpCode } from "~/auth/factors/totp";
import { testEnv } from "./support/worker-env";

let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await freshDatabase();
});

async function signIn(b: ReturnType<typeof browser>, email: string, password: string) {
  return b.post("/login", { email, password, redirectTo: "" });
}

describe("admin sign-in", () => {
  it("an anonymous visitor to /admin is sent to sign-in with a way back", async () => {
    const b = browser(testEnv(databaseUrl).env);
    const res = await b.get("/admin");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login?redirectTo=%2Fadmin");
  });

  it("an admin signs in (password, then the authenticator app's code), sees the admin home, and signs out", async () => {
    const { env } = testEnv(databaseUrl);
    const admin = await enrolledAdmin(env, databaseUrl);
    const b = browser(env);
    const res = await signIn(b, admin.email.toUpperCase(), admin.password);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toMatch(/^\/login\/factor/);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("session="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    // The password alone reaches no admin page (decision 034).
    expect((await b.get("/admin")).status).toBe(302);
    const factor = await b.post("/login/factor", { code: totpCode(admin.totpSecret), intent: "verify" });
    expect(factor.headers.get("Location")).toBe("/admin");
    const home = await b.get("/admin");
    expect(home.status).toBe(200);
    expect(await home.text()).toContain(`Signed in as ${admin.email}`);

    const out = await b.post("/logout", {});
    expect(out.status).toBe(302);
    expect((await b.get("/admin")).status).toBe(302);
  });

  it("the session lives in Postgres and signing out deletes it", async () => {
    const admin = await createUser(databaseUrl, { role: "admin" });
    const b = browser(testEnv(databaseUrl).env);
    await signIn(b, admin.email, admin.password);
    const { db, close } = testDb(databaseUrl);
    const count = async () => (await db.select().from(sessions)).filter((s) => s.userId === admin.id).length;
    expect(await count()).toBe(1);
    await b.post("/logout", {});
    expect(await count()).toBe(0);
    await close();
  });

  it("a customer is refused the admin pages with 403", async () => {
    const customer = await createUser(databaseUrl, { role: "customer" });
    const b = browser(testEnv(databaseUrl).env);
    await signIn(b, customer.email, customer.password);
    expect((await b.get("/admin")).status).toBe(403);
  });

  it("a wrong password shows one message that does not say which part was wrong", async () => {
    const admin = await createUser(databaseUrl, { role: "admin" });
    const b = browser(testEnv(databaseUrl).env);
    const res = await signIn(b, admin.email, "not the password");
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("That email and password do not match an account.");
  });

  it("a sign-in form without the CSRF token is refused and signs nobody in", async () => {
    const admin = await createUser(databaseUrl, { role: "admin" });
    const b = browser(testEnv(databaseUrl).env);
    const res = await b.post("/login", { email: admin.email, password: admin.password }, { csrf: "forged" });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie().some((c) => c.startsWith("session="))).toBe(false);
  });

  it("a redirect after sign-in never leaves the site", async () => {
    const admin = await createUser(databaseUrl, { role: "admin" });
    const b = browser(testEnv(databaseUrl).env);
    const res = await b.post("/login", { email: admin.email, password: admin.password, redirectTo: "//evil.example/x" });
    expect(res.headers.get("Location")).toBe("/admin");
  });
});

describe("configuration", () => {
  it("a missing secret gives a clear 500 instead of a crash", async () => {
    const { env } = testEnv(databaseUrl, { SESSION_SECRET: "short" });
    const res = await browser(env).get("/");
    expect(res.status).toBe(500);
    expect(await res.text()).toContain("misconfigured");
  });
});
