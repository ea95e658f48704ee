// The security matrix: every route and API × who is asking → the expected status and the protective
// headers. Plus cookie flags, session lifetimes, signed and session-bound CSRF tokens, and a check that
// secrets and personal data never reach the logs. (Malformed requests: hostile-requests.test.ts.)
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { commitSession, sessionStorage } from "~/auth/session.server";
import { createAppServices } from "~/context.server";
import { browser, type Browser } from "./support/browser";
import { expectProtectiveHeaders } from "./support/protective-headers";
import { ADMIN_REQUESTS, fill } from "./support/admin-requests";
import { signedIn } from "./support/sign-in";
import { freshDatabase, sql } from "./support/database";
import { createCustomerWithJob, createUser } from "./support/factories";
import { deliver } from "./support/queue-delivery";
import { bindings, testEnv } from "./support/worker-env";
import { connectZoho, sandbox } from "./support/zoho-sandbox";

let databaseUrl: string;
let customerId: string;
beforeAll(async () => {
  databaseUrl = await freshDatabase();
  await sandbox().reset();
  customerId = (await createCustomerWithJob(databaseUrl)).customer.id;
});

// Admins come in two roles (README "Admins: roles and invitations"): staff, and owners who may do everything.
type Who = "anonymous" | "customer" | "staff" | "owner";
const EVERYONE = ["anonymous", "customer", "staff", "owner"] as const;
/** "admin": an admin for whom the role does not matter (an owner). */
async function as(who: Who | "admin"): Promise<Browser> {
  const { env } = testEnv(databaseUrl);
  if (who === "anonymous") return browser(env);
  if (who === "customer") return signedIn(env, databaseUrl, "customer");
  return signedIn(env, databaseUrl, "admin", who === "staff" ? "staff" : "owner");
}

const LOGIN = "login";
const PAGES: Array<[string, Record<Who, number | typeof LOGIN>]> = [
  ["/", { anonymous: 200, customer: 200, staff: 200, owner: 200 }],
  ["/login", { anonymous: 200, customer: 302, staff: 302, owner: 302 }],
  ["/register", { anonymous: 200, customer: 302, staff: 302, owner: 302 }],
  ["/forgot-password", { anonymous: 200, customer: 200, staff: 200, owner: 200 }],
  // Without a (valid) token both pages explain the problem; with one they work signed in or not.
  ["/verify-email", { anonymous: 200, customer: 200, staff: 200, owner: 200 }],
  ["/verify-email?token=forged-token-value", { anonymous: 200, customer: 200, staff: 200, owner: 200 }],
  ["/reset-password?token=forged-token-value", { anonymous: 200, customer: 200, staff: 200, owner: 200 }],
  ["/confirm-email-change?token=forged-token-value", { anonymous: 200, customer: 200, staff: 200, owner: 200 }],
  ["/undo-email-change?token=forged-token-value", { anonymous: 200, customer: 200, staff: 200, owner: 200 }],
  // Only after a registration in this browser; otherwise back to the form (or the account).
  ["/register/sent", { anonymous: 302, customer: 302, staff: 302, owner: 302 }],
  ["/account", { anonymous: LOGIN, customer: 200, staff: 302, owner: 302 }],
  // The matrix's customer is an account without a customer record: nothing to edit, back to /account.
  ["/account/profile", { anonymous: LOGIN, customer: 302, staff: 302, owner: 302 }],
  ["/account/email", { anonymous: LOGIN, customer: 200, staff: 302, owner: 302 }],
  ["/account/delete", { anonymous: LOGIN, customer: 200, staff: 302, owner: 302 }],
  ["/account/data", { anonymous: LOGIN, customer: 200, staff: 302, owner: 302 }],
  ["/account/orders", { anonymous: LOGIN, customer: 200, staff: 302, owner: 302 }],
  ["/admin", { anonymous: LOGIN, customer: 403, staff: 200, owner: 200 }],
  ["/admin/customers", { anonymous: LOGIN, customer: 403, staff: 200, owner: 200 }],
  ["/admin/customers?reason=name_only", { anonymous: LOGIN, customer: 403, staff: 200, owner: 200 }],
  ["/admin/customers?confirm=all", { anonymous: LOGIN, customer: 403, staff: 200, owner: 200 }],
  ["/admin/customers/:id", { anonymous: LOGIN, customer: 403, staff: 200, owner: 200 }],
  ["/admin/zoho", { anonymous: LOGIN, customer: 403, staff: 200, owner: 200 }],
  // Staff read the connection's state; connecting (and Zoho's callback) is an owner's.
  ["/admin/zoho/callback", { anonymous: LOGIN, customer: 403, staff: 403, owner: 302 }],
  ["/admin/admins", { anonymous: LOGIN, customer: 403, staff: 403, owner: 200 }],
  ["/admin/admins?remove=00000000-0000-4000-8000-000000000000", { anonymous: LOGIN, customer: 403, staff: 403, owner: 200 }],
  ["/accept-invitation", { anonymous: 200, customer: 200, staff: 200, owner: 200 }],
  ["/accept-invitation?token=forged-token-value", { anonymous: 200, customer: 200, staff: 200, owner: 200 }],
  // Issue 23: the second factor's setup page, and the sign-in's second step (only after this browser's password step).
  ["/admin/security", { anonymous: LOGIN, customer: 403, staff: 200, owner: 200 }],
  ["/login/factor", { anonymous: 302, customer: 302, staff: 302, owner: 302 }],
  // Issue 23: the audit log and the Zoho call log, for every admin.
  ["/admin/audit", { anonymous: LOGIN, customer: 403, staff: 200, owner: 200 }],
  ["/admin/audit?action=sign_in&from=2026-01-01", { anonymous: LOGIN, customer: 403, staff: 200, owner: 200 }],
  ["/admin/audit.csv", { anonymous: LOGIN, customer: 403, staff: 200, owner: 200 }],
  ["/admin/zoho-calls", { anonymous: LOGIN, customer: 403, staff: 200, owner: 200 }],
  ["/admin/zoho-calls?outcome=error", { anonymous: LOGIN, customer: 403, staff: 200, owner: 200 }],
  ["/admin/zoho-calls.csv", { anonymous: LOGIN, customer: 403, staff: 200, owner: 200 }],
  // Issue 20: reconciliation from the mirror (read-only), for every admin.
  ["/admin/reconciliation", { anonymous: LOGIN, customer: 403, staff: 200, owner: 200 }],
  ["/admin/reconciliation?kind=email_differs&page=2", { anonymous: LOGIN, customer: 403, staff: 200, owner: 200 }],
  ["/admin/reconciliation.csv", { anonymous: LOGIN, customer: 403, staff: 200, owner: 200 }],
];

describe("pages × who is asking", () => {
  for (const who of EVERYONE) {
    it(`${who}`, async () => {
      const b = await as(who);
      for (const [path, expected] of PAGES) {
        const res = await b.get(path.replace(":id", customerId));
        await expectProtectiveHeaders(res, `${who} GET ${path}`);
        const want = expected[who];
        if (want === LOGIN) {
          expect(res.status, path).toBe(302);
          expect(res.headers.get("Location"), path).toMatch(/^\/login\?redirectTo=/);
        } else expect(res.status, `${who} GET ${path}`).toBe(want);
      }
    });
  }
});

// Every admin action (support/admin-requests.ts, shared with the audit log's table) but signing out, which
// anyone may do, with the least role that may do it: staff (customers, review, linking, retries) or owner.
const ACTIONS: Array<[string, string, Record<string, string> | undefined, "staff" | "owner"]> = ADMIN_REQUESTS.filter((r) => r.path !== "/logout").map((r) => {
  const filled = fill(r, { id: ":id" });
  return [r.method, filled.path, filled.fields, r.role];
});

// Forms anyone may send (they act on a mailbox, not on a session), and the customer's own resend.
const PUBLIC_ACTIONS: Array<[string, Record<string, string>, Record<Who, number>]> = [
  ["/forgot-password", { email: "nobody@example.com" }, { anonymous: 200, customer: 200, staff: 200, owner: 200 }],
  ["/reset-password", { token: "forged-token-value", password: "a long password", confirmPassword: "a long password" }, { anonymous: 410, customer: 410, staff: 410, owner: 410 }],
  ["/register", { step: "1", intent: "next", firstName: "A", lastName: "B", email: "matrix@example.com", phone: "0917 123 4567" }, { anonymous: 302, customer: 302, staff: 302, owner: 302 }],
  ["/account", { intent: "resend-verification" }, { anonymous: 302, customer: 302, staff: 302, owner: 302 }],
  // The buttons of mailed links: a forged token is refused whoever presses them.
  ["/verify-email", { token: "forged-token-value", intent: "confirm" }, { anonymous: 410, customer: 410, staff: 410, owner: 410 }],
  ["/verify-email", { token: "forged-token-value", intent: "not-me" }, { anonymous: 410, customer: 410, staff: 410, owner: 410 }],
  ["/confirm-email-change", { token: "forged-token-value", intent: "confirm" }, { anonymous: 410, customer: 410, staff: 410, owner: 410 }],
  ["/undo-email-change", { token: "forged-token-value", intent: "undo" }, { anonymous: 410, customer: 410, staff: 410, owner: 410 }],
  ["/accept-invitation", { token: "forged-token-value", password: "a long password", confirmPassword: "a long password" }, { anonymous: 410, customer: 410, staff: 410, owner: 410 }],
  // A code without this browser's password step first goes back to the password.
  ["/login/factor", { code: "123456" }, { anonymous: 302, customer: 302, staff: 302, owner: 302 }],
  // The same for a passkey: neither its options nor an answer without this browser's password step.
  ["/login/factor", { intent: "passkey-options" }, { anonymous: 302, customer: 302, staff: 302, owner: 302 }],
  ["/login/factor", { intent: "passkey", response: "{}" }, { anonymous: 302, customer: 302, staff: 302, owner: 302 }],
];

describe("public and customer forms × who is asking", () => {
  it.each(PUBLIC_ACTIONS)("POST %s", async (path, formFields, expected) => {
    for (const who of EVERYONE) {
      const b = await as(who);
      // A reset request is limited to 3 an hour per address typed: each of the four asks about its own.
      const fields = path === "/forgot-password" ? { ...formFields, email: `nobody.${who}@example.com` } : formFields;
      expect((await b.post(path, fields, { csrf: null })).status, `${who} without CSRF`).toBe(403);
      expect((await b.post(path, fields, { csrf: "forged-token-value" })).status, `${who} with a wrong CSRF`).toBe(403);
      const res = await b.post(path, fields);
      expect(res.status, `${who} POST ${path}`).toBe(expected[who]);
      if (path === "/account") expect(res.headers.get("Location"), who).toMatch(who === "anonymous" ? /^\/login/ : who === "customer" ? /^\/account$/ : /^\/admin/);
    }
  });
});

describe("state-changing requests × who is asking", () => {
  it.each(ACTIONS)("%s %s %j (%s and up)", async (method, rawPath, fields, least) => {
    const path = rawPath.replace(":id", customerId);
    const send = (b: Browser, csrf?: string | null) =>
      fields ? b.post(path, fields, { csrf }) : b.api(method, path, undefined, { csrf });
    const anon = await send(await as("anonymous"));
    expect(anon.status).toBe(path.startsWith("/api/") ? 401 : 302);
    expect((await send(await as("customer"))).status).toBe(403);
    const staff = await as("staff");
    expect((await send(staff, null)).status, "staff, missing CSRF").toBe(403);
    const staffAnswer = await send(staff);
    if (least === "owner") {
      expect(staffAnswer.status, "staff").toBe(403);
      expect(await staffAnswer.text(), "staff").toMatch(/Only an owner of this shop can do this|Owners only/);
    } else expect(staffAnswer.status, "staff").toBeLessThan(500);
    const owner = await as("owner");
    expect((await send(owner, null)).status, "missing CSRF").toBe(403);
    expect((await send(owner, "forged-token-value")).status, "wrong CSRF").toBe(403);
    const ownerAnswer = await send(owner);
    expect(ownerAnswer.status).toBeLessThan(500);
    expect(ownerAnswer.status, "owner").not.toBe(403);
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

  it("errors, refusals and API answers carry them too, each with its own nonce", async () => {
    const anon = await as("anonymous");
    const admin = await as("admin");
    const cases: Array<[string, Promise<Response>, number]> = [
      ["a page", anon.get("/login"), 200],
      ["a page's data request", admin.get("/admin.data"), 200],
      ["an unknown page", anon.get("/no-such-page"), 404],
      ["an unknown API URL", anon.get("/api/nothing-here"), 404],
      ["a CSRF refusal", anon.post("/login", { email: "a@b.co", password: "x" }, { csrf: null }), 403],
      ["a malformed body", anon.request("/login", { method: "POST", headers: { "Content-Type": "multipart/form-data", Origin: "http://portal.test" }, body: "x" }), 400],
      ["a refused API call", anon.api("POST", `/api/admin/customers/${customerId}/zoho-sync`), 401],
      ["the cron endpoint without its secret", anon.get("/api/cron/zoho-sync"), 401],
      ["a misconfigured Worker", browser(testEnv(databaseUrl, { SESSION_SECRET: "short" }).env).get("/"), 500],
    ];
    const nonces = new Set<string>();
    for (const [what, pending, status] of cases) {
      const res = await pending;
      expect(res.status, what).toBe(status);
      await expectProtectiveHeaders(res, what);
      nonces.add(res.headers.get("Content-Security-Policy")!.match(/'nonce-([^']+)'/)![1]);
    }
    expect(nonces.size).toBe(cases.length);
  });

  it("the Zoho consent redirect is the only place forms may go besides this site", async () => {
    const res = await (await as("anonymous")).get("/login");
    const formAction = res.headers.get("Content-Security-Policy")!.split("; ").find((d) => d.startsWith("form-action"));
    expect(formAction).toBe(`form-action 'self' ${new URL(bindings.TEST_SANDBOX_URL).origin}`);
  });
});

describe("sessions", () => {
  const sessionCookie = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith("session="))!;
  const maxAge = (cookie: string) => Number(cookie.match(/Max-Age=(\d+)/i)![1]);
  const expiresIn = async (email: string) =>
    ((await sql(databaseUrl, "select extract(epoch from s.expires_at - now())::int as s from sessions s join users u on u.id = s.user_id where u.email = $1", [email])) as Array<{ s: number }>)[0].s;

  it("an admin's session lasts ADMIN_SESSION_HOURS (8 by default), a customer's 14 days, cookie and database alike", async () => {
    for (const [role, env, seconds] of [
      ["admin", testEnv(databaseUrl).env, 8 * 3600],
      ["admin", testEnv(databaseUrl, { ADMIN_SESSION_HOURS: "2" }).env, 2 * 3600],
      ["customer", testEnv(databaseUrl, { ADMIN_SESSION_HOURS: "2" }).env, 14 * 86400],
    ] as const) {
      const user = await createUser(databaseUrl, { role });
      const res = await browser(env).post("/login", { email: user.email, password: user.password, redirectTo: "" });
      expect(maxAge(sessionCookie(res)), role).toBe(seconds);
      expect(Math.abs((await expiresIn(user.email)) - seconds), role).toBeLessThan(60);
    }
  });

  it("an admin session ends when its hours are up, whatever the admin did since (a toast does not extend it)", async () => {
    const admin = await as("admin");
    const email = (admin as Browser & { email: string }).email;
    const before = await expiresIn(email);
    const acted = await admin.post(`/admin/customers/${customerId}`, { intent: "retry" });
    expect(acted.status).toBe(302);
    expect((await admin.get(`/admin/customers/${customerId}`)).status).toBe(200);
    expect(await expiresIn(email)).toBeLessThanOrEqual(before);
    await sql(databaseUrl, "update sessions set expires_at = now() - interval '1 second' where user_id = (select id from users where email = $1)", [email]);
    const after = await admin.get("/admin");
    expect(after.status).toBe(302);
    expect(after.headers.get("Location")).toBe("/login?redirectTo=%2Fadmin");
  });
});

describe("toasts", () => {
  it("a toast travels in its own signed cookie: the redirect sets it, the next page shows it once, the session is untouched", async () => {
    const admin = await as("admin");
    const session = admin.jar.get("session");
    const done = await admin.post("/admin/zoho", { intent: "disconnect" });
    expect(done.status).toBe(302);
    expect(done.headers.getSetCookie().some((c) => c.startsWith("session="))).toBe(false);
    expect(admin.jar.get("toast")).toBeTruthy();
    expect(await (await admin.get("/admin/zoho")).text()).toContain("Zoho Books disconnected.");
    expect(admin.jar.has("toast")).toBe(false);
    expect(await (await admin.get("/admin/zoho")).text()).not.toContain("Zoho Books disconnected.");
    expect(admin.jar.get("session")).toBe(session);
  });

  it("a toast cookie the shop did not sign shows nothing", async () => {
    const forged = btoa(encodeURIComponent(JSON.stringify({ kind: "error", message: "Call 0917 123 4567 to unlock your account" })));
    const res = await (await as("anonymous")).request("/login", { headers: { Cookie: `toast=${forged}.c2lnbmF0dXJl` } });
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain("unlock your account");
  });
});

describe("CSRF tokens are signed and bound to the session", () => {
  it("a matching cookie and field the shop did not sign are refused", async () => {
    const b = await as("customer");
    b.jar.set("csrf", "planted-by-someone-else");
    const res = await b.post("/account", { intent: "resend-verification" }, { csrf: "planted-by-someone-else" });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("This form has expired or was sent from another site.");
  });

  it("a token signed for another session is refused, even as a matching pair", async () => {
    const alice = await as("admin");
    const mallory = await as("admin");
    const stolen = await mallory.csrf();
    alice.jar.set("csrf", stolen);
    expect((await alice.post("/admin/zoho", { intent: "disconnect" }, { csrf: stolen })).status).toBe(403);
    expect((await mallory.post("/admin/zoho", { intent: "disconnect" }, { csrf: stolen })).status).toBe(302);
  });

  it("signing in, starting a registration and signing out each issue a new token; the one from before is refused", async () => {
    const { env } = testEnv(databaseUrl);
    const user = await createUser(databaseUrl);
    const b = browser(env);
    const anonymous = await b.csrf();
    const signedIn = await b.post("/login", { email: user.email, password: user.password, redirectTo: "" });
    expect(signedIn.status).toBe(302);
    const afterSignIn = await b.csrf();
    expect(afterSignIn).not.toBe(anonymous);
    // The old pair, cookie and field, from before signing in:
    b.jar.set("csrf", anonymous);
    expect((await b.post("/account", { intent: "resend-verification" }, { csrf: anonymous })).status).toBe(403);
    await b.get("/"); // the page gives this session's token back
    expect(await b.csrf()).not.toBe(anonymous);
    const out = await b.post("/logout", {});
    expect(out.status).toBe(302);
    const afterSignOut = await b.csrf();
    expect(afterSignOut).not.toBe(afterSignIn);
    b.jar.set("csrf", afterSignIn);
    expect((await b.post("/login", { email: user.email, password: user.password, redirectTo: "" }, { csrf: afterSignIn })).status).toBe(403);

    const registrant = browser(env);
    const before = await registrant.csrf();
    const step1 = await registrant.post("/register", { step: "1", intent: "next", firstName: "Csrf", lastName: "Check", email: "csrf.check@example.com", phone: "09171234567" });
    expect(step1.status).toBe(302);
    expect(await registrant.csrf()).not.toBe(before);
    expect((await registrant.post("/register", { step: "2", intent: "next", customerType: "new" })).status).toBe(302);
  });

  it("the token is the random value and its HMAC: nothing in it names the session or the secret", async () => {
    const b = await as("customer");
    const token = await b.csrf();
    expect(token).toMatch(/^[A-Za-z0-9_-]{24}\.[A-Za-z0-9_-]{43}$/);
    const sessionCookieValue = b.jar.get("session")!;
    expect(token).not.toContain(decodeURIComponent(sessionCookieValue).split(".")[0]);
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
    // Personal data too: the addresses typed at sign-in and registration, and any CSRF token or session id.
    for (const personal of ["someone@example.com", "log.check@example.com", b.jar.get("csrf")!, decodeURIComponent(b.jar.get("session") ?? "session-not-set").split(".")[0]])
      expect(text).not.toContain(personal);
    expect(text).not.toMatch(/1000\.(refresh|access)[0-9a-f]{8}/);
  });
});
