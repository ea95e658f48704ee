// What a hostile browser can send (issue 24): malformed cookies, bodies, origins and methods answer
// 400/403/405 or the page as if the cookie were absent, never 500, with no ERROR log and no stack trace;
// crafted redirects never leave the site; a registrant's text never reaches the shop's mail. The HTTP-layer
// fuzz test (fuzz.test.ts) generates the rest.
import { beforeAll, describe, expect, it } from "vitest";
import { waitForMail } from "@tools/local-stack/mail-inbox";
import { browser, type Browser } from "./support/browser";
import { freshDatabase } from "./support/database";
import { createUser } from "./support/factories";
import { errorsAndStacks, logsOf } from "./support/logs";
import { expectProtectiveHeaders } from "./support/protective-headers";
import { bindings, testEnv } from "./support/worker-env";

let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await freshDatabase();
});

describe("malformed requests", () => {
  const form = (token: string, fields: Record<string, string> = {}) => new URLSearchParams({ csrf: token, ...fields });
  type Case = [string, (b: Browser, token: string) => Promise<Response>, number, string | RegExp | null];
  const CASES: Case[] = [
    ["a POST with Origin: null", (b, t) => b.request("/login", { method: "POST", headers: { Origin: "null", "Content-Type": "application/x-www-form-urlencoded" }, body: form(t, { email: "a@b.co", password: "x" }) }), 403, "sent from another site"],
    ["a POST from another origin", (b, t) => b.request("/login", { method: "POST", headers: { Origin: "https://evil.example", "Content-Type": "application/x-www-form-urlencoded" }, body: form(t) }), 403, "sent from another site"],
    ["multipart without a boundary", (b, t) => b.request("/login", { method: "POST", headers: { Origin: "http://portal.test", "X-CSRF-Token": t, "Content-Type": "multipart/form-data" }, body: "csrf=x" }), 400, "could not be read"],
    ["multipart cut short", (b, t) => b.request("/login", { method: "POST", headers: { Origin: "http://portal.test", "X-CSRF-Token": t, "Content-Type": "multipart/form-data; boundary=XyZ" }, body: '--XyZ\r\nContent-Disposition: form-data; name="email"\r\n\r\na@b.co' }), 400, "could not be read"],
    ["a JSON body to a page", (b, t) => b.request("/login", { method: "POST", headers: { Origin: "http://portal.test", "X-CSRF-Token": t, "Content-Type": "application/json" }, body: '{"email":"a@b.co"}' }), 400, "could not be read"],
    ["no content type at all", (b, t) => b.request("/logout", { method: "POST", headers: { Origin: "http://portal.test", "X-CSRF-Token": t }, body: "x" }), 400, "could not be read"],
    ["PUT with text to a form page", (b, t) => b.request("/register", { method: "PUT", headers: { Origin: "http://portal.test", "X-CSRF-Token": t, "Content-Type": "text/plain" }, body: "step=1" }), 400, "could not be read"],
    ["a method no route knows", (b) => b.request("/login", { method: "PROPFIND" }), 405, "not allowed"],
    ["a csrf=%ZZ cookie on the home page", (b) => b.request("/", { headers: { Cookie: "csrf=%ZZ" } }), 200, "Sign in"],
    ["a session=%ZZ cookie on the home page", (b) => b.request("/", { headers: { Cookie: "session=%ZZ" } }), 200, "Sign in"],
    ["a session=%ZZ cookie on an account page", (b) => b.request("/account", { headers: { Cookie: "session=%ZZ; csrf=%E0%A4%A" } }), 302, null],
    ["a forged session cookie", (b) => b.request("/admin", { headers: { Cookie: "session=eyJ4Ijp9.c2lnbmF0dXJl" } }), 302, null],
    ["a Cookie header of separators", (b) => b.request("/", { headers: { Cookie: ";;=;==; =x; session; csrf=" } }), 200, "Sign in"],
    ["a CR in redirectTo", (b, t) => b.request("/login", { method: "POST", headers: { Origin: "http://portal.test", "Content-Type": "application/x-www-form-urlencoded" }, body: form(t, { email: "nobody@example.com", password: "x", redirectTo: "/\r/evil.example" }) }), 400, "do not match"],
    ["an unknown step with a nasty encoding", (b, t) => b.request("/register?step=%ZZ", { method: "POST", headers: { Origin: "http://portal.test", "Content-Type": "application/x-www-form-urlencoded" }, body: `csrf=${encodeURIComponent(t)}&step=%ZZ&%ZZ=%E0` }), 400, null],
  ];

  it.each(CASES)("%s", async (_what, send, status, says) => {
    const b = browser(testEnv(databaseUrl).env);
    const token = await b.csrf();
    let res!: Response;
    let body = "";
    const lines = await logsOf(async () => {
      res = await send(b, token);
      body = await res.text();
    });
    expect(res.status).toBe(status);
    if (says) expect(body).toMatch(says);
    expect(body).not.toMatch(/\n\s+at\s|\.tsx?:\d+|\/work\//);
    expect(errorsAndStacks(lines)).toEqual([]);
    await expectProtectiveHeaders(res, _what, body);
  });

  it("an unreadable session cookie is answered as if absent, and a new token comes with the page", async () => {
    const res = await browser(testEnv(databaseUrl).env).request("/", { headers: { Cookie: "session=%ZZ; csrf=%ZZ" } });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie().find((c) => c.startsWith("csrf="))).toMatch(/^csrf=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+;/);
  });
});

describe("redirects after sign-in", () => {
  it.each([
    ["slash, tab, slash", "/\t/evil.example/phish"],
    ["slash, tab, backslash", "/\t\\evil.example"],
    ["slash, backslash", "/\\evil.example"],
    ["a carriage return", "/\r/evil.example"],
    ["dot segments", "/..//evil.example"],
  ])("%s never leaves the site: the admin lands on the admin home", async (_what, redirectTo) => {
    const admin = await createUser(databaseUrl, { role: "admin" });
    const res = await browser(testEnv(databaseUrl).env).post("/login", { email: admin.email, password: admin.password, redirectTo });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/admin");
  });

  it("a path on this site is kept", async () => {
    const customer = await createUser(databaseUrl);
    const res = await browser(testEnv(databaseUrl).env).post("/login", { email: customer.email, password: customer.password, redirectTo: "/account/orders?page=2" });
    expect(res.headers.get("Location")).toBe("/account/orders?page=2");
  });
});

describe("the shop's mail carries no registrant text", () => {
  it("the confirmation mail greets without the name the registrant typed", async () => {
    const b = browser(testEnv(databaseUrl).env);
    const email = `mail.text.${crypto.randomUUID().slice(0, 8)}@example.com`;
    await b.post("/register", { step: "1", intent: "next", firstName: "Rosalind", lastName: "Quimby", email, phone: "09171234567" });
    await b.post("/register", { step: "2", intent: "next", customerType: "new" });
    await b.post("/register", { step: "3", intent: "next", deliveryMethod: "pickup" });
    expect((await b.post("/register", { step: "4", intent: "next", password: "a long password", confirmPassword: "a long password" })).status).toBe(302);
    const mail = await waitForMail(bindings.TEST_MAIL_INBOX_URL, email, /Confirm your email/);
    expect(mail.text).toMatch(/\/verify-email\?token=/); // the right mail, in the shop's own words
    for (const part of [mail.text, mail.html, mail.subject]) {
      expect(part).not.toContain("Rosalind");
      expect(part).not.toContain("Quimby");
    }
  });

  it("a name a mail client would turn into a link is refused at step 1, with the field's error", async () => {
    const res = await browser(testEnv(databaseUrl).env).post("/register", { step: "1", intent: "next", firstName: "Hello claim your refund at http://evil.example/r", lastName: "x", email: "refund@example.com", phone: "09171234567" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Your first name looks like a web or email address, which we cannot use.");
  });
});
