// The security matrix: every route and API × who is asking → the expected status. Plus cookie flags
// and a check that secrets never reach the logs.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { commitSession, sessionStorage } from "~/auth/session.server";
import { createAppServices } from "~/context.server";
import { browser, type Browser } from "./support/browser";
import { signedIn } from "./support/sign-in";
import { freshDatabase, sql } from "./support/database";
import { createCustomerWithJob, createUser } from "./support/factories";
import { deliver } from "./support/queue-delivery";
import { testEnv } from "./support/worker-env";
import { connectZoho, sandbox } from "./support/zoho-sandbox";

let databaseUrl: string;
let customerId: string;
beforeAll(async () => {
  databaseUrl = await freshDatabase();
  await sandbox().reset();
  customerId = (await createCustomerWithJob(databaseUrl)).customer.id;
});

type Who = "anonymous" | "customer" | "admin";
async function as(who: Who): Promise<Browser> {
  const { env } = testEnv(databaseUrl);
  return who === "anonymous" ? browser(env) : signedIn(env, databaseUrl, who);
}

const LOGIN = "login";
const PAGES: Array<[string, Record<Who, number | typeof LOGIN>]> = [
  ["/", { anonymous: 200, customer: 200, admin: 200 }],
  ["/login", { anonymous: 200, customer: 302, admin: 302 }],
  ["/register", { anonymous: 200, customer: 302, admin: 302 }],
  ["/forgot-password", { anonymous: 200, customer: 200, admin: 200 }],
  // Without a (valid) token both pages explain the problem; with one they work signed in or not.
  ["/verify-email", { anonymous: 200, customer: 200, admin: 200 }],
  ["/verify-email?token=forged-token-value", { anonymous: 200, customer: 200, admin: 200 }],
  ["/reset-password?token=forged-token-value", { anonymous: 200, customer: 200, admin: 200 }],
  ["/confirm-email-change?token=forged-token-value", { anonymous: 200, customer: 200, admin: 200 }],
  ["/undo-email-change?token=forged-token-value", { anonymous: 200, customer: 200, admin: 200 }],
  // Only after a registration in this browser; otherwise back to the form (or the account).
  ["/register/sent", { anonymous: 302, customer: 302, admin: 302 }],
  ["/account", { anonymous: LOGIN, customer: 200, admin: 302 }],
  // The matrix's customer is an account without a customer record: nothing to edit, back to /account.
  ["/account/profile", { anonymous: LOGIN, customer: 302, admin: 302 }],
  ["/account/email", { anonymous: LOGIN, customer: 200, admin: 302 }],
  ["/account/delete", { anonymous: LOGIN, customer: 200, admin: 302 }],
  ["/account/data", { anonymous: LOGIN, customer: 200, admin: 302 }],
  ["/account/orders", { anonymous: LOGIN, customer: 200, admin: 302 }],
  ["/admin", { anonymous: LOGIN, customer: 403, admin: 200 }],
  ["/admin/customers", { anonymous: LOGIN, customer: 403, admin: 200 }],
  ["/admin/customers?reason=name_only", { anonymous: LOGIN, customer: 403, admin: 200 }],
  ["/admin/customers?confirm=all", { anonymous: LOGIN, customer: 403, admin: 200 }],
  ["/admin/customers/:id", { anonymous: LOGIN, customer: 403, admin: 200 }],
  ["/admin/zoho", { anonymous: LOGIN, customer: 403, admin: 200 }],
  ["/admin/zoho/callback", { anonymous: LOGIN, customer: 403, admin: 302 }],
];

describe("pages × who is asking", () => {
  for (const who of ["anonymous", "customer", "admin"] as const) {
    it(`${who}`, async () => {
      const b = await as(who);
      for (const [path, expected] of PAGES) {
        const res = await b.get(path.replace(":id", customerId));
        const want = expected[who];
        if (want === LOGIN) {
          expect(res.status, path).toBe(302);
          expect(res.headers.get("Location"), path).toMatch(/^\/login\?redirectTo=/);
        } else expect(res.status, `${who} GET ${path}`).toBe(want);
      }
    });
  }
});

const ACTIONS: Array<[string, string, Record<string, string> | undefined]> = [
  ["POST", "/admin?index", { intent: "backfill" }],
  ["POST", "/admin/zoho", { intent: "disconnect" }],
  ["POST", "/admin/customers/:id", { intent: "retry" }],
  ["POST", "/admin/customers/:id", { intent: "confirm", contactId: "460000000026049" }],
  ["POST", "/admin/customers?index", { intent: "confirm_all", expected: "1" }],
  ["POST", "/api/admin/customers/:id/zoho-sync", undefined],
  ["DELETE", "/api/admin/customers/:id/zoho-sync", undefined],
];

// Forms anyone may send (they act on a mailbox, not on a session), and the customer's own resend.
const PUBLIC_ACTIONS: Array<[string, Record<string, string>, Record<Who, number>]> = [
  ["/forgot-password", { email: "nobody@example.com" }, { anonymous: 200, customer: 200, admin: 200 }],
  ["/reset-password", { token: "forged-token-value", password: "a long password", confirmPassword: "a long password" }, { anonymous: 410, customer: 410, admin: 410 }],
  ["/register", { step: "1", intent: "next", firstName: "A", lastName: "B", email: "matrix@example.com", phone: "0917 123 4567" }, { anonymous: 302, customer: 302, admin: 302 }],
  ["/account", { intent: "resend-verification" }, { anonymous: 302, customer: 302, admin: 302 }],
  // The buttons of mailed links: a forged token is refused whoever presses them.
  ["/verify-email", { token: "forged-token-value", intent: "confirm" }, { anonymous: 410, customer: 410, admin: 410 }],
  ["/verify-email", { token: "forged-token-value", intent: "not-me" }, { anonymous: 410, customer: 410, admin: 410 }],
  ["/confirm-email-change", { token: "forged-token-value", intent: "confirm" }, { anonymous: 410, customer: 410, admin: 410 }],
  ["/undo-email-change", { token: "forged-token-value", intent: "undo" }, { anonymous: 410, customer: 410, admin: 410 }],
];

describe("public and customer forms × who is asking", () => {
  it.each(PUBLIC_ACTIONS)("POST %s", async (path, fields, expected) => {
    for (const who of ["anonymous", "customer", "admin"] as const) {
      const b = await as(who);
      expect((await b.post(path, fields, { csrf: null })).status, `${who} without CSRF`).toBe(403);
      expect((await b.post(path, fields, { csrf: "forged-token-value" })).status, `${who} with a wrong CSRF`).toBe(403);
      const res = await b.post(path, fields);
      expect(res.status, `${who} POST ${path}`).toBe(expected[who]);
      if (path === "/account") expect(res.headers.get("Location"), who).toMatch(who === "anonymous" ? /^\/login/ : who === "admin" ? /^\/admin/ : /^\/account$/);
    }
  });
});

describe("state-changing requests × who is asking", () => {
  it.each(ACTIONS)("%s %s", async (method, rawPath, fields) => {
    const path = rawPath.replace(":id", customerId);
    const send = (b: Browser, csrf?: string | null) =>
      fields ? b.post(path, fields, { csrf }) : b.api(method, path, undefined, { csrf });
    const anon = await send(await as("anonymous"));
    expect(anon.status).toBe(path.startsWith("/api/") ? 401 : 302);
    expect((await send(await as("customer"))).status).toBe(403);
    const admin = await as("admin");
    expect((await send(admin, null)).status, "missing CSRF").toBe(403);
    expect((await send(admin, "forged-token-value")).status, "wrong CSRF").toBe(403);
    expect((await send(admin)).status).toBeLessThan(500);
  });

  it("a form posted from another site is refused even with the right token", async () => {
    const admin = await as("admin");
    const token = await admin.csrf();
    const res = await admin.request("/admin/zoho", {
      method: "POST",
      body: new URLSearchParams({ csrf: token, intent: "disconnect" }),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.example" },
    });
    expect(res.status).toBe(403);
  });
});

describe("the cron endpoint", () => {
  it.each([
    [undefined, 401],
    ["Bearer wrong-secret-0123456789", 401],
    ["Basic dGVzdA==", 401],
    ["Bearer test-cron-secret-0123456789", 200],
  ])("Authorization %s → %i", async (header, status) => {
    const b = await as("anonymous");
    const res = await b.request("/api/cron/zoho-sync", { headers: header ? { Authorization: header } : {} });
    expect(res.status).toBe(status);
  });
});

describe("cookies", () => {
  it("the session cookie is HttpOnly and SameSite=Lax locally, and also Secure with the __Host- prefix in production", async () => {
    const { env } = testEnv(databaseUrl);
    const app = createAppServices(env);
    const local = await sessionStorage(app).getSession();
    local.set("userId", (await createUser(databaseUrl)).id);
    const localCookie = await commitSession(local, app);
    expect(localCookie).toMatch(/^session=.*HttpOnly/);
    expect(localCookie).toMatch(/SameSite=Lax/);
    const prod = Object.assign(createAppServices(env), { secureCookies: true });
    const session = await sessionStorage(prod).getSession();
    const prodCookie = await commitSession(session, prod);
    expect(prodCookie).toMatch(/^__Host-session=/);
    expect(prodCookie).toMatch(/Secure/);
    expect(prodCookie).toMatch(/Path=\//);
    await app.close();
    await prod.close();
  });

  it("responses carry protective headers", async () => {
    const res = await (await as("anonymous")).get("/");
    expect(res.headers.get("X-Frame-Options")).toBe("DENY");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("secrets stay out of the logs", () => {
  afterEach(() => vi.restoreAllMocks());

  it("passwords, Zoho tokens and the client secret never appear in any log line", async () => {
    const lines: string[] = [];
    for (const method of ["log", "info", "warn", "error", "debug"] as const)
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    const { env } = testEnv(databaseUrl);
    const connection = await connectZoho(env);
    // A sign-in with a wrong password, a registration, a refresh that fails, a sync.
    const b = browser(env);
    await b.post("/login", { email: "someone@example.com", password: "Hunter2-SecretPassword!", redirectTo: "" });
    await b.post("/register", { step: "1", intent: "next", firstName: "Log", lastName: "Check", email: "log.check@example.com", phone: "09171234567" });
    await b.post("/register", { step: "2", intent: "next", customerType: "new" });
    await b.post("/register", { step: "3", intent: "next", deliveryMethod: "pickup" });
    await b.post("/register", { step: "4", intent: "next", password: "Registration-Secret-99", confirmPassword: "Registration-Secret-99" });
    const tokens = (await sql(databaseUrl, "select refresh_token_enc from zoho_tokens")) as Array<{ refresh_token_enc: string }>;
    await sandbox().revokeAllTokens();
    await sql(databaseUrl, "update zoho_tokens set access_token_expires_at = now() - interval '1 hour'");
    const { job } = await createCustomerWithJob(databaseUrl);
    await deliver(env, [job.id]);
    const text = lines.join("\n");
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of ["Hunter2-SecretPassword!", "Registration-Secret-99", "sandbox-client-secret", connection.refresh_token, connection.access_token, tokens[0].refresh_token_enc, env.SESSION_SECRET as string])
      expect(text).not.toContain(secret);
    expect(text).not.toMatch(/1000\.(refresh|access)[0-9a-f]{8}/);
  });
});
