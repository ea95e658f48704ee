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
  ["/account", { anonymous: LOGIN, customer: 200, admin: 302 }],
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
