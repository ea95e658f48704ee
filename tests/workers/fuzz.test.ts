// Generated inputs against the registration steps and the admin endpoints: never a 5xx, nothing
// stored on a rejection, and errors a person can read. Then the HTTP layer itself: any method, headers,
// cookies, content type and body on every route, as anonymous, customer or admin: never a 5xx, never an
// ERROR log or a stack trace.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { browser, ORIGIN, type Browser } from "./support/browser";
import { errorsAndStacks, logsOf } from "./support/logs";
import { signedIn } from "./support/sign-in";
import { freshDatabase, sql } from "./support/database";
import { createCustomerWithJob } from "./support/factories";
import { testEnv } from "./support/worker-env";
import { sandbox } from "./support/zoho-sandbox";

let databaseUrl: string;
let admin: Browser;
let customer: Browser;
let customerId: string;
beforeAll(async () => {
  databaseUrl = await freshDatabase();
  await sandbox().reset();
  admin = await signedIn(testEnv(databaseUrl).env, databaseUrl, "admin");
  customer = await signedIn(testEnv(databaseUrl).env, databaseUrl, "customer");
  customerId = (await createCustomerWithJob(databaseUrl)).customer.id;
});

const nasty = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 80 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ minLength: 200, maxLength: 5000 }),
  fc.constantFrom("' OR 1=1 --", "<script>alert(1)</script>", "${jndi:ldap://x}", "%00", "\u202e\u0000", "Robert'); DROP TABLE customers;--", "𝕌𝕟𝕚𝕔𝕠𝕕𝕖", "  ", ""),
);
const count = async () => ((await sql(databaseUrl, "select (select count(*) from customers)::int + (select count(*) from users)::int as n")) as Array<{ n: number }>)[0].n;

describe("registration step 1 with generated input", () => {
  it("answers 302 or a readable 400/409, never 5xx, and stores nothing until the last step", async () => {
    const before = await count();
    await fc.assert(
      fc.asyncProperty(fc.record({ firstName: nasty, lastName: nasty, email: fc.oneof(nasty, fc.emailAddress()), phone: fc.oneof(nasty, fc.constantFrom("09171234567", "+14155552671")) }, { requiredKeys: [] }), async (fields) => {
        const b = browser(testEnv(databaseUrl).env);
        const res = await b.post("/register", { step: "1", intent: "next", ...(fields as Record<string, string>) });
        expect([302, 400, 409]).toContain(res.status);
        if (res.status === 400) expect(await res.text()).toMatch(/Enter|at most|too long|cannot use|like/);
      }),
      { numRuns: 60 },
    );
    expect(await count()).toBe(before);
  });

  it("unknown steps, intents and extra fields are refused or ignored, never 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(nasty, nasty, fc.dictionary(fc.string({ maxLength: 10 }), nasty, { maxKeys: 5 }), async (step, intent, extra) => {
        const res = await browser(testEnv(databaseUrl).env).post("/register", { ...extra, step, intent });
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 40 },
    );
  });
});

describe("registration step 3 with generated input", () => {
  it("addresses of any shape are accepted or refused with a reason, never 5xx", async () => {
    const b = browser(testEnv(databaseUrl).env);
    await b.post("/register", { step: "1", intent: "next", firstName: "Fuzz", lastName: "Address", email: "fuzz.address@example.com", phone: "09171234567" });
    await b.post("/register", { step: "2", intent: "next", customerType: "new" });
    await fc.assert(
      fc.asyncProperty(
        fc.record({ deliveryMethod: fc.oneof(nasty, fc.constantFrom("delivery", "pickup")), addressLine1: nasty, addressLine2: nasty, city: nasty, province: nasty, postalCode: nasty }),
        async (fields) => {
          const res = await b.post("/register", { step: "3", intent: "next", ...fields });
          expect([302, 400]).toContain(res.status);
        },
      ),
      { numRuns: 40, examples: [[{ deliveryMethod: "delivery", addressLine1: "12\u0000 Rizal", addressLine2: "", city: "Makati", province: "NCR", postalCode: "1200" }]] },
    );
  });
});

describe("admin endpoints with generated input", () => {
  it("the customer actions never answer 5xx and change nothing on bad input", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(nasty, fc.constantFrom("retry", "link", "unlink")), nasty, async (intent, contactId) => {
        const res = await admin.post(`/admin/customers/${customerId}`, { intent, contactId });
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 40 },
    );
  });

  it("the sync API answers 400/404/409 for any id, never 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uuid(), fc.string({ maxLength: 60 }).map(encodeURIComponent)), fc.constantFrom("POST", "DELETE", "GET"), async (id, method) => {
        const res = await admin.api(method, `/api/admin/customers/${id}/zoho-sync`);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(((await res.json()) as { error: string }).error.length).toBeGreaterThan(5);
      }),
      { numRuns: 40 },
    );
  });

  it("list filters from the URL never break the page", async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom("status", "type", "q", "sort", "after", "before", "x"), nasty, { maxKeys: 4 }), async (params) => {
        const res = await admin.get(`/admin/customers?${new URLSearchParams(params as Record<string, string>)}`);
        expect(res.status).toBe(200);
      }),
      { numRuns: 40, examples: [[{ q: "\u0000" }], [{ q: "%_\\", status: "failed" }]] },
    );
  });
});

describe("the HTTP layer with generated requests", () => {
  // Every route, its single-fetch data URL, and a few that exist for no one. /logout is left out: it would
  // end the personas' sessions, and the rest would then only test the anonymous case.
  const ROUTES = [
    "/", "/login", "/login?redirectTo=%2F%09%2Fevil.example", "/register", "/register?step=3&edit=1", "/forgot-password",
    "/reset-password?token=forged-token-value", "/verify-email?token=%ZZ", "/account", "/account/orders?page=%ZZ",
    "/admin", "/admin?index", "/admin/customers", "/admin/customers?index", "/admin/customers/:id", "/admin/customers/%ZZ",
    "/admin/zoho", "/admin/zoho/callback?code=x&state=y", "/api/admin/customers/:id/zoho-sync", "/api/admin/customers/%E0/zoho-sync",
    "/api/cron/zoho-sync", "/api/%ZZ", "/no-such-page", "/_root.data", "/login.data", "/admin.data?_routes=routes%2Fadmin",
    "/register.data?_routes=%ZZ", "/account.data",
  ];
  // Header values: printable ASCII and tabs (no HTTP stack delivers CR, LF or NUL; workerd re-encodes
  // other bytes as UTF-8).
  const headerText = fc.string({ unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.constant(9)).map((c) => String.fromCharCode(c)), maxLength: 60 });
  const cookieValue = fc.oneof(fc.constantFrom("%ZZ", "%E0%A4%A", "", '"', "a.b", "eyJ4Ijp9.c2lnbmF0dXJl", "x".repeat(5000)), headerText.map((t) => t.replace(/;/g, "")));
  const cookieName = fc.constantFrom("session", "csrf", "toast", "__Host-session", "__Host-csrf", "", " session", "x");
  const persona = fc.constantFrom("anonymous", "customer", "admin");
  const request = fc.record({
    who: persona,
    path: fc.constantFrom(...ROUTES),
    method: fc.constantFrom("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND"), // workerd refuses to build a Request with a method it does not know
    origin: fc.option(fc.oneof(fc.constantFrom(ORIGIN, "null", "https://evil.example", "http://portal.test:80", "file://"), headerText)),
    contentType: fc.option(fc.oneof(fc.constantFrom("application/x-www-form-urlencoded", "multipart/form-data", "multipart/form-data; boundary=XyZ", "application/json", "text/plain;charset=utf-16"), headerText)),
    cookies: fc.oneof(
      fc.constant("persona" as const),
      fc.array(fc.tuple(cookieName, cookieValue), { maxLength: 4 }).map((pairs) => ({ extra: pairs })),
      headerText.map((raw) => ({ raw })),
    ),
    csrf: fc.option(fc.oneof(fc.constant("persona" as const), headerText)),
    extra: fc.dictionary(fc.constantFrom("Accept", "Accept-Language", "User-Agent", "X-Forwarded-Host", "CF-Connecting-IP", "Authorization", "Referer", "Range"), headerText, { maxKeys: 4 }),
    body: fc.oneof(
      fc.constant(undefined),
      fc.constant("persona-form" as const),
      fc.string({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }),
      fc.constant('--XyZ\r\nContent-Disposition: form-data; name="csrf"\r\n\r\nx\r\n--XyZ--\r\n'),
    ),
  });

  // Half the runs are a well-formed form submission of the persona (cookies, token, origin) with generated
  // fields, so they reach the routes' actions instead of the Worker's refusals.
  const formFields = fc.dictionary(fc.oneof(fc.constantFrom("intent", "step", "email", "password", "redirectTo", "contactId", "expected", "token", "zq"), fc.string({ maxLength: 8 })), fc.oneof(nasty, fc.constantFrom("retry", "link", "unlink", "confirm", "confirm_all", "backfill", "connect", "resend-verification", "1", "4", "next", "back")), { maxKeys: 5 });
  const submission = fc.record({
    who: persona,
    path: fc.constantFrom(...ROUTES),
    method: fc.constantFrom("POST", "PUT", "PATCH", "DELETE"),
    origin: fc.constant(ORIGIN),
    contentType: fc.constantFrom("application/x-www-form-urlencoded", "multipart/form-data; boundary=XyZ"),
    cookies: fc.constant("persona" as const),
    csrf: fc.constant(null),
    extra: fc.constant({}),
    body: formFields.map((fields) => ({ fields })),
  });

  it("any method, headers, cookies, content type and body on any route: never a 5xx, an ERROR log or a stack trace", async () => {
    const env = testEnv(databaseUrl).env;
    const personas = { anonymous: browser(env), customer, admin };
    await personas.anonymous.csrf();
    await fc.assert(
      fc.asyncProperty(fc.oneof(request, submission), async (r) => {
        const who = personas[r.who];
        const jarCookies = [...who.jar].map(([k, v]) => `${k}=${v}`);
        const headers = new Headers();
        const cookie =
          r.cookies === "persona" ? jarCookies.join("; ") : "extra" in r.cookies ? [...jarCookies, ...r.cookies.extra.map(([k, v]) => `${k}=${v}`)].join("; ") : r.cookies.raw;
        headers.set("Cookie", cookie || "none=1"); // never empty: the test browser would send its own jar
        if (r.origin !== null) headers.set("Origin", r.origin);
        if (r.contentType !== null) headers.set("Content-Type", r.contentType);
        if (r.csrf !== null) headers.set("X-CSRF-Token", r.csrf === "persona" ? (who.jar.get("csrf") ?? "") : r.csrf);
        for (const [name, value] of Object.entries(r.extra)) headers.set(name, value);
        const withBody = r.method !== "GET" && r.method !== "HEAD" && r.body !== undefined;
        const token = who.jar.get("csrf") ?? "";
        const body =
          r.body === "persona-form"
            ? new URLSearchParams({ csrf: token, intent: "none" }).toString()
            : typeof r.body === "object" && r.body && "fields" in r.body
              ? encodeForm({ ...r.body.fields, csrf: token }, r.contentType ?? "")
              : r.body;
        const path = r.path.replace(":id", customerId);
        let status = 0;
        let text = "";
        // A stateless request (the personas' jars keep their sessions whatever the answer sets).
        const lines = await logsOf(async () => {
          const res = await browser(env).request(path, { method: r.method, headers, body: withBody ? (body as BodyInit) : undefined });
          status = res.status;
          text = await res.text();
        });
        expect(status, `${r.method} ${path}`).toBeLessThan(500);
        expect(text).not.toMatch(/\n\s+at\s|\.tsx?:\d+:\d+|\/work\//);
        expect(errorsAndStacks(lines), `${r.method} ${path}`).toEqual([]);
      }),
      {
        numRuns: 600,
        examples: [
          [{ who: "anonymous", path: "/login", method: "POST", origin: "null", contentType: "application/x-www-form-urlencoded", cookies: "persona", csrf: null, extra: {}, body: "persona-form" }],
          [{ who: "admin", path: "/admin/zoho", method: "POST", origin: ORIGIN, contentType: "multipart/form-data", cookies: "persona", csrf: "persona", extra: {}, body: "x" }],
          [{ who: "admin", path: "/admin/zoho", method: "POST", origin: ORIGIN, contentType: "application/x-www-form-urlencoded", cookies: "persona", csrf: null, extra: { "X-Forwarded-Host": "evil.example" }, body: "persona-form" }],
          [{ who: "anonymous", path: "/_root.data", method: "HEAD", origin: "", contentType: null, cookies: "persona", csrf: null, extra: {}, body: undefined }],
          [{ who: "anonymous", path: "/login.data", method: "OPTIONS", origin: "https://evil.example", contentType: null, cookies: "persona", csrf: null, extra: {}, body: "x" }],
          [{ who: "admin", path: "/admin/customers/%ZZ", method: "PATCH", origin: ORIGIN, contentType: "application/x-www-form-urlencoded", cookies: "persona", csrf: null, extra: {}, body: { fields: { intent: "retry" } } }],
          [{ who: "anonymous", path: "/", method: "GET", origin: null, contentType: null, cookies: { extra: [["csrf", "%ZZ"]] }, csrf: null, extra: {}, body: undefined }],
          [{ who: "customer", path: "/account", method: "GET", origin: null, contentType: null, cookies: { extra: [["session", "%ZZ"]] }, csrf: null, extra: {}, body: undefined }],
          [{ who: "customer", path: "/account", method: "PATCH", origin: ORIGIN, contentType: "text/plain;charset=utf-16", cookies: "persona", csrf: "persona", extra: {}, body: "intent=resend-verification" }],
        ],
      },
    );
  });
});

/** A form body as a browser encodes it: urlencoded, or multipart with the boundary the content type names. */
function encodeForm(fields: Record<string, string>, contentType: string) {
  if (!contentType.startsWith("multipart/")) return new URLSearchParams(fields).toString();
  const parts = Object.entries(fields).map(([k, v]) => `--XyZ\r\nContent-Disposition: form-data; name="${k.replace(/["\r\n]/g, "_")}"\r\n\r\n${v}\r\n`);
  return `${parts.join("")}--XyZ--\r\n`;
}
