// Email verification, password reset and abuse limits through the real Worker, with mail sent over
// SMTP to the mail catcher (maildev) and read back from its REST API, and Zoho played by the sandbox.
import { describe, expect, it } from "vitest";
import { linkIn, mailsTo, waitForMail } from "@tools/local-stack/mail-inbox";
import { browser, type Browser } from "./support/browser";
import { sql } from "./support/database";
import { createUser } from "./support/factories";
import { linkFromMail, pathOf, press, registerThroughSteps, REGISTRANT_PASSWORD, signInAs } from "./support/mail-links";
import { jobIdsForEmail } from "./support/jobs";
import { deliver, runCron } from "./support/queue-delivery";
import { bindings, testEnv } from "./support/worker-env";
import { connectZoho, sandbox } from "./support/zoho-sandbox";
import { freshWorldPerTest } from "./support/fresh-world";

let databaseUrl: string;
freshWorldPerTest((url) => (databaseUrl = url));

const inbox = () => bindings.TEST_MAIL_INBOX_URL;
let n = 0;
const newEmail = () => `verify${++n}-${crypto.randomUUID().slice(0, 8)}@shoppers.example`;

const register = (b: Browser, email: string, customerType: "new" | "returning" = "new") => registerThroughSteps(b, { lastName: `Santos${n}`, email, customerType });

async function customerOf(email: string) {
  const [row] = (await sql(databaseUrl, "select c.*, u.email_verified_at from customers c join users u on u.id = c.user_id where lower(c.email) = lower($1)", [email])) as Array<Record<string, unknown>>;
  return row;
}

describe("email verification", () => {
  it("an unverified customer costs no Zoho call: the sweep skips the job and a delivered message is not run", async () => {
    const { env, queue } = testEnv(databaseUrl);
    await connectZoho(env);
    const email = newEmail();
    expect((await register(browser(env), email)).status).toBe(302);
    await sandbox().clearCalls();
    await runCron(env);
    expect(queue.sent).toEqual([]);
    // Even a message that reaches the consumer (a stale or forged one) does not run the job.
    const [jobId] = await jobIdsForEmail(databaseUrl, email);
    await deliver(env, [jobId]);
    expect(await sandbox().calls()).toEqual([]);
    expect(await sql(databaseUrl, "select sync from zoho_api_ledger")).toEqual([]);
    expect(await customerOf(email)).toMatchObject({ zoho_sync_status: "pending", zoho_contact_id: null });
  });

  it("a GET of the link (a mail scanner) changes nothing; Confirm in the browser that registered confirms, signs in and queues the job at once", async () => {
    const { env, queue } = testEnv(databaseUrl);
    await connectZoho(env);
    const email = newEmail();
    const b = browser(env);
    expect((await register(b, email)).headers.get("Location")).toBe("/register/sent");
    const link = await linkFromMail(email, /Confirm your email/, "/verify-email");
    const scanned = await browser(env).get(link); // the scanner, without any session
    expect(scanned.status).toBe(200);
    expect(await scanned.text()).toContain("A Cangoods account was registered with");
    expect((await customerOf(email)).email_verified_at).toBeNull();
    expect(queue.sent).toEqual([]);
    const confirmed = await press(b, link, "confirm");
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get("Location")).toBe("/account?confirmed=1");
    expect((await customerOf(email)).email_verified_at).not.toBeNull();
    expect(queue.sent).toHaveLength(1);
    await deliver(env, [queue.sent[0].jobId]);
    expect(await customerOf(email)).toMatchObject({ zoho_sync_status: "synced" });
    // The browser that confirmed is signed in now.
    expect(await (await b.get("/account")).text()).not.toContain("Please confirm your email address");
  });

  it("Confirm in a browser that is not signed in to the account asks to sign in and comes back; then it works", async () => {
    const { env, queue } = testEnv(databaseUrl);
    const email = newEmail();
    await register(browser(env), email);
    const link = await linkFromMail(email, /Confirm your email/, "/verify-email");
    const phone = browser(env);
    const asked = await press(phone, link, "confirm");
    expect(asked.status).toBe(302);
    expect(asked.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(link)}`);
    expect((await customerOf(email)).email_verified_at).toBeNull();
    const back = await signInAs(phone, email, REGISTRANT_PASSWORD, link);
    expect(back.headers.get("Location")).toBe(link);
    expect((await press(phone, link, "confirm")).headers.get("Location")).toBe("/account?confirmed=1");
    expect((await customerOf(email)).email_verified_at).not.toBeNull();
    expect(queue.sent).toHaveLength(1);
  });

  it("a used link says the address is confirmed; an expired link is refused and changes nothing; only a hash is stored", async () => {
    const { env, queue } = testEnv(databaseUrl);
    const email = newEmail();
    const b = browser(env);
    await register(b, email);
    const link = await linkFromMail(email, /Confirm your email/, "/verify-email");
    await press(b, link, "confirm");
    const sent = queue.sent.length;
    const again = await b.get(link);
    expect(await again.text()).toContain("This email address is already confirmed.");
    expect(queue.sent).toHaveLength(sent); // nothing is sent to Zoho twice

    const other = newEmail();
    const c = browser(env);
    await register(c, other);
    const stale = await linkFromMail(other, /Confirm your email/, "/verify-email");
    await sql(databaseUrl, "update email_tokens set expires_at = now() - interval '1 minute' where email = $1", [other]);
    expect(await (await c.get(stale)).text()).toContain("This confirmation link has expired");
    const token = new URL(stale, "http://x").searchParams.get("token")!;
    const refused = await c.post("/verify-email", { token, intent: "confirm" });
    expect(refused.status).toBe(410);
    expect((await customerOf(other)).email_verified_at).toBeNull();
    // Only a hash of the token is stored.
    expect(await sql(databaseUrl, "select 1 from email_tokens where token_hash = $1", [token])).toHaveLength(0);
  });

  it("'send it again' sends a new link (the old one stops working) and is throttled with Retry-After", async () => {
    const { env } = testEnv(databaseUrl);
    const email = newEmail();
    const b = browser(env);
    await register(b, email);
    const first = await linkFromMail(email, /Confirm your email/, "/verify-email");
    await signInAs(b, email, REGISTRANT_PASSWORD);
    const resent = await b.post("/account", { intent: "resend-verification" });
    expect(resent.status).toBe(302);
    await expect.poll(async () => (await mailsTo(inbox(), email, /Confirm your email/)).length).toBe(2);
    const second = pathOf(linkIn((await mailsTo(inbox(), email, /Confirm your email/)).at(-1)!, "http://portal.test/verify-email?token="));
    expect(second).not.toBe(first);
    const limited = await b.post("/account", { intent: "resend-verification" });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await limited.text()).toContain("You can ask for another one in");
    expect(await b.get(first).then((r) => r.text())).toContain("already been used");
    expect((await press(b, second, "confirm")).headers.get("Location")).toBe("/account?confirmed=1");
  });

  it("the hourly housekeeping removes accounts unverified after 7 days, with their customer and job, and keeps older accounts", async () => {
    const { env } = testEnv(databaseUrl);
    const email = newEmail();
    await register(browser(env), email);
    const legacy = await createUser(databaseUrl, { verified: false });
    await sql(databaseUrl, "update users set remove_unverified_after = now() - interval '1 minute' where lower(email) = lower($1)", [email]);
    await runCron(env);
    expect(await sql(databaseUrl, "select 1 from users where lower(email) = lower($1)", [email])).toHaveLength(0);
    expect(await sql(databaseUrl, "select 1 from customers where lower(email) = lower($1)", [email])).toHaveLength(0);
    expect(await sql(databaseUrl, "select 1 from users where id = $1", [legacy.id])).toHaveLength(1);
  });
});

describe("password reset", () => {
  it("answers the same for unknown addresses, mails a single-use link, and signs every session out", async () => {
    const { env } = testEnv(databaseUrl);
    const user = await createUser(databaseUrl, { role: "customer" });
    const elsewhere = browser(env);
    expect((await elsewhere.post("/login", { email: user.email, password: user.password, redirectTo: "" })).status).toBe(302);
    const anon = browser(env);
    const known = await (await anon.post("/forgot-password", { email: user.email })).text();
    const stranger = newEmail();
    const unknown = await (await anon.post("/forgot-password", { email: stranger })).text();
    const sentence = (html: string, email: string) => html.match(/If [^<]* belongs to an account[^<]*/)?.[0].replace(email, "EMAIL");
    expect(sentence(known, user.email)).toBeTruthy();
    expect(sentence(unknown, stranger)).toBe(sentence(known, user.email));
    const link = pathOf(linkIn(await waitForMail(inbox(), user.email, /Reset your/), "http://portal.test/reset-password?token="));
    const token = new URL(link, "http://x").searchParams.get("token")!;
    const form = await anon.get(link);
    expect(await form.text()).toContain("Choose a new password");
    const done = await anon.post("/reset-password", { token, password: "a brand new password", confirmPassword: "a brand new password" });
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe("/login");
    // The other browser's session is gone; the old password no longer works; the new one does.
    expect((await elsewhere.get("/account")).headers.get("Location")).toMatch(/^\/login/);
    expect((await browser(env).post("/login", { email: user.email, password: user.password, redirectTo: "" })).status).toBe(400);
    expect((await browser(env).post("/login", { email: user.email, password: "a brand new password", redirectTo: "" })).status).toBe(302);
    const reused = await anon.post("/reset-password", { token, password: "yet another password", confirmPassword: "yet another password" });
    expect(reused.status).toBe(410);
    expect(await reused.text()).toContain("already been used");
  });

  it("reset requests are limited per email with 429 and Retry-After", async () => {
    const { env } = testEnv(databaseUrl);
    const user = await createUser(databaseUrl, { role: "customer" });
    const b = browser(env);
    for (let i = 0; i < 3; i++) expect((await b.post("/forgot-password", { email: user.email })).status).toBe(200);
    const limited = await b.post("/forgot-password", { email: user.email.toUpperCase() });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(60);
    expect(await limited.text()).toContain("Too many reset requests. Please try again in");
  });
});

describe("abuse limits", () => {
  async function registerFrom(env: ReturnType<typeof testEnv>["env"], address: string, i: number) {
    // The CSRF token changes when step 1 starts the registration's session: each post takes the current one.
    const b = browser(env, { address });
    await b.post("/register", { step: "1", intent: "next", firstName: "Bot", lastName: `Number${i}`, email: newEmail(), phone: "0917 123 4567" });
    await b.post("/register", { step: "2", intent: "next", customerType: "new" });
    await b.post("/register", { step: "3", intent: "next", deliveryMethod: "pickup" });
    return b.post("/register", { step: "4", intent: "next", password: "a long password", confirmPassword: "a long password" });
  }

  it("registrations from one client address are limited with 429, Retry-After and the wait on the form", async () => {
    const { env } = testEnv(databaseUrl);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await registerFrom(env, "203.0.113.7", i);
      statuses.push(res.status);
      if (res.status === 429) {
        expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
        expect(await res.text()).toContain("Too many registrations from here or with this email. Please try again in");
      }
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(302));
    expect(statuses[10]).toBe(429);
  });

  it("a shop whose customers share one address (carrier NAT) raises the per-address limit with RATE_LIMIT_ADDRESS_FACTOR", async () => {
    const { env } = testEnv(databaseUrl, { RATE_LIMIT_ADDRESS_FACTOR: "2" });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await registerFrom(env, "203.0.113.8", i)).status);
    expect(statuses).toEqual(Array(11).fill(302));
  });
});
