// Ownership proven by a person, not by a machine (issue 19): mail scanners open every link of a mail with a GET
// (and some render it), so no GET or HEAD of any mailed link changes anything; only a person's POST acts. Codes
// and tokens are single-use, expire and are throttled; "This wasn't me" removes an unconfirmed registration; and
// registration answers the same whether or not the address already has an account (issue 24, item 2).
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { inbox as readInbox, mailsTo, waitForMail } from "@tools/local-stack/mail-inbox";
import { browser, ORIGIN, type Browser } from "./support/browser";
import { freshDatabase, sql } from "./support/database";
import { allJobStates } from "./support/jobs";
import { createUser } from "./support/factories";
import { codeFromMail, hiddenField, linkFromMail, press, registerThroughSteps, REGISTRANT_PASSWORD, signInAs } from "./support/mail-links";
import { signedIn } from "./support/sign-in";
import { bindings, testEnv } from "./support/worker-env";
import { connectZoho, sandbox } from "./support/zoho-sandbox";

let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await freshDatabase();
});
beforeEach(async () => {
  await sql(databaseUrl, "truncate auth_throttle");
});

let n = 0;
const newEmail = (tag = "link") => `${tag}${++n}-${crypto.randomUUID().slice(0, 8)}@owners.example`;
const inboxUrl = () => bindings.TEST_MAIL_INBOX_URL;

/** Everything a mailed link could change: accounts, customers, links and codes, jobs, timeline, sessions, throttles, closures. */
async function snapshot() {
  const q = (text: string) => sql(databaseUrl, text);
  return {
    users: await q("select id, email, email_verified_at, remove_unverified_after, pending_email, previous_email, taken_back_at, password_hash from users order by id"),
    customers: await q("select id, email, first_name, zoho_sync_status, zoho_contact_id, zoho_review_reason, updated_at from customers order by id"),
    tokens: await q("select token_hash, used_at, code_attempts, expires_at from email_tokens order by token_hash"),
    jobs: await allJobStates(databaseUrl),
    events: await q("select count(*)::int as n from zoho_sync_events"),
    // A toast shown on a page is consumed from the session: that is the page's display, not the link's doing.
    sessions: await q("select id, user_id, data - '__flash_toast__' as data from sessions order by id"),
    throttles: await q("select key, failures from auth_throttle order by key"),
    closures: await q("select count(*)::int as n from account_closures"),
    outbox: await q("select count(*)::int as n from email_outbox"),
    invitations: await q("select id, token_hash, accepted_at, revoked_at, expires_at from admin_invitations order by id"),
  };
}

/** Every link to the portal in a mail's text. */
function portalLinks(text: string): string[] {
  return [...new Set(text.split(/\s+/).filter((w) => w.startsWith(`${ORIGIN}/`)))].map((l) => l.replace(ORIGIN, ""));
}

async function registered(env: ReturnType<typeof testEnv>["env"], email: string, customerType: "new" | "returning" = "new", password?: string) {
  const b = browser(env);
  const res = await registerThroughSteps(b, { email, customerType, lastName: `Owner${n}`, password });
  expect(res.headers.get("Location")).toBe("/register/sent");
  return b;
}

describe("no GET or HEAD of any mailed link changes state", () => {
  // Each kind of mail with links: how to make one arrive, and who else holds a session that could matter.
  const KINDS: Array<[string, (env: ReturnType<typeof testEnv>["env"]) => Promise<{ to: string; subject: RegExp; browsers: Browser[] }>]> = [
    [
      "the confirmation of a new account",
      async (env) => {
        const to = newEmail("confirm");
        return { to, subject: /Confirm your email/, browsers: [await registered(env, to)] };
      },
    ],
    [
      "'you already have an account' (an unconfirmed one)",
      async (env) => {
        const to = newEmail("exists");
        const first = await registered(env, to);
        await waitForMail(inboxUrl(), to, /Confirm your email/);
        // Someone else (another password) registers the same address: its owner is told.
        return { to, subject: /You already have a Cangoods account/, browsers: [first, await registered(env, to, "new", "somebody else's password")] };
      },
    ],
    [
      "a password reset",
      async (env) => {
        const user = await createUser(databaseUrl);
        await browser(env).post("/forgot-password", { email: user.email });
        return { to: user.email, subject: /Reset your/, browsers: [] };
      },
    ],
    [
      "the confirmation of a new address",
      async (env) => {
        const user = await createUser(databaseUrl);
        const b = browser(env);
        await signInAs(b, user.email, user.password);
        const to = newEmail("new-address");
        expect((await b.post("/account/email", { newEmail: to, password: user.password })).status).toBe(302);
        return { to, subject: /Confirm your new email address/, browsers: [b] };
      },
    ],
    [
      "the notice to the old address (undo)",
      async (env) => {
        const user = await createUser(databaseUrl);
        const b = browser(env);
        await signInAs(b, user.email, user.password);
        await b.post("/account/email", { newEmail: newEmail("moved"), password: user.password });
        return { to: user.email, subject: /is being changed/, browsers: [b] };
      },
    ],
    [
      "an owner's invitation to the admin console",
      async (env) => {
        const owner = await signedIn(env, databaseUrl, "admin", "owner");
        const to = newEmail("invited");
        expect((await owner.post("/admin/admins", { intent: "invite", email: to, role: "staff" })).status).toBe(302);
        return { to, subject: /invited to the Cangoods admin console/, browsers: [owner] };
      },
    ],
  ];

  it.each(KINDS)("%s: every link, opened by a scanner, the owner and the account's own browsers, changes nothing", async (_kind, make) => {
    const { env, queue } = testEnv(databaseUrl);
    const { to, subject, browsers } = await make(env);
    const mail = await waitForMail(inboxUrl(), to, subject);
    const links = portalLinks(mail.text);
    expect(links.length).toBeGreaterThan(0);
    const before = await snapshot();
    const sent = queue.sent.length;
    for (const link of links) {
      for (const b of [browser(env), ...browsers]) {
        expect((await b.get(link)).status, `GET ${link}`).toBeLessThan(500);
        expect((await b.request(link, { method: "HEAD" })).status, `HEAD ${link}`).toBeLessThan(500);
      }
    }
    expect(await snapshot()).toEqual(before);
    expect(queue.sent).toHaveLength(sent);
  });
});

describe("Confirm: only the person who registered, by acting", () => {
  it("neither a scanner, nor the address's owner who never registered, nor the stranger without the mail can confirm", async () => {
    const { env, queue } = testEnv(databaseUrl);
    const email = newEmail("stranger");
    const stranger = await registered(env, email, "returning");
    const link = await linkFromMail(email, /Confirm your email/, "/verify-email");
    const token = new URL(link, ORIGIN).searchParams.get("token")!;
    // The owner opens the link (no session) and presses Confirm: asked to sign in, nothing confirmed.
    const owner = browser(env);
    expect((await press(owner, link, "confirm")).headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    // Another signed-in account cannot confirm it either.
    const other = await signedIn(env, databaseUrl, "customer");
    expect((await press(other, link, "confirm")).status).toBe(403);
    // The stranger has no token: a guessed one is refused.
    expect((await stranger.post("/verify-email", { token: token.replace(/.$/, (c) => (c === "A" ? "B" : "A")), intent: "confirm" })).status).toBe(410);
    const [user] = (await sql(databaseUrl, "select email_verified_at from users where email = $1", [email])) as Array<{ email_verified_at: string | null }>;
    expect(user.email_verified_at).toBeNull();
    expect(queue.sent).toEqual([]);
  });

  it("a link works once: a second Confirm sends nothing again, and 'This wasn't me' after it is refused", async () => {
    const { env, queue } = testEnv(databaseUrl);
    const email = newEmail("once");
    const b = await registered(env, email);
    const link = await linkFromMail(email, /Confirm your email/, "/verify-email");
    const html = await (await b.get(link)).text();
    const fields = { token: hiddenField(html, "token") };
    expect((await b.post(link, { ...fields, intent: "confirm" }, { csrf: hiddenField(html, "csrf") })).headers.get("Location")).toBe("/account?confirmed=1");
    expect(queue.sent).toHaveLength(1);
    expect((await b.post(link, { ...fields, intent: "confirm" })).headers.get("Location")).toBe("/account?confirmed=1");
    expect(queue.sent).toHaveLength(1);
    expect((await browser(env).post(link, { ...fields, intent: "not-me" })).status).toBe(409);
    expect(await sql(databaseUrl, "select 1 from users where email = $1", [email])).toHaveLength(1);
  });

  it("Confirm presses are limited per account: the 11th within the hour answers 429 with Retry-After", async () => {
    const { env } = testEnv(databaseUrl);
    const email = newEmail("hammer");
    await registered(env, email);
    const link = await linkFromMail(email, /Confirm your email/, "/verify-email");
    const token = new URL(link, ORIGIN).searchParams.get("token")!;
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await browser(env).post(link, { token, intent: "confirm" })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(302));
    expect(statuses[10]).toBe(429);
    const limited = await browser(env).post(link, { token, intent: "confirm" });
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
  });
});

describe("the code from the mail", () => {
  it("confirms from the signed-in account page, works once, and is stored only as a keyed hash", async () => {
    const { env, queue } = testEnv(databaseUrl);
    const email = newEmail("code");
    const b = await registered(env, email);
    const code = await codeFromMail(email, /Confirm your email/);
    expect(code.replace(" ", "")).toMatch(/^[A-HJKMNP-TV-Z2-9]{8}$/);
    expect(JSON.stringify(await sql(databaseUrl, "select * from email_tokens where email = $1", [email]))).not.toContain(code.replace(" ", ""));
    // Not signed in: the account page sends to sign-in, the code does nothing.
    expect((await b.post("/account", { intent: "confirm-code", code })).headers.get("Location")).toMatch(/^\/login/);
    await signInAs(b, email, REGISTRANT_PASSWORD);
    const typed = await b.post("/account", { intent: "confirm-code", code: code.toLowerCase() });
    expect(typed.status).toBe(302);
    expect(await (await b.get("/account")).text()).toContain("Thank you: your email address is confirmed.");
    expect(queue.sent).toHaveLength(1);
    const again = await b.post("/account", { intent: "confirm-code", code });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("There is no code waiting");
    // The link of the same mail is used up with it.
    expect(await (await b.get(await linkFromMail(email, /Confirm your email/, "/verify-email"))).text()).toContain("already confirmed");
  });

  it("5 wrong tries end the code (the right one is refused after them); an expired code is refused", async () => {
    const { env } = testEnv(databaseUrl);
    const email = newEmail("tries");
    const b = await registered(env, email);
    const code = await codeFromMail(email, /Confirm your email/);
    await signInAs(b, email, REGISTRANT_PASSWORD);
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) answers.push((await (await b.post("/account", { intent: "confirm-code", code: "ZZZZZZZZ" })).text()).match(/That is not the code\. (\d) tr/)?.[1] ?? "?");
    expect(answers).toEqual(["4", "3", "2", "1", "0"]);
    const late = await b.post("/account", { intent: "confirm-code", code });
    expect(await late.text()).toContain("There is no code waiting");
    expect(await sql(databaseUrl, "select 1 from users where email = $1 and email_verified_at is null", [email])).toHaveLength(1);

    const other = newEmail("expired");
    const c = await registered(env, other);
    const otherCode = await codeFromMail(other, /Confirm your email/);
    await signInAs(c, other, REGISTRANT_PASSWORD);
    await sql(databaseUrl, "update email_tokens set code_expires_at = now() - interval '1 second' where email = $1", [other]);
    expect(await (await c.post("/account", { intent: "confirm-code", code: otherCode })).text()).toContain("There is no code waiting");
    expect(await sql(databaseUrl, "select 1 from users where email = $1 and email_verified_at is null", [other])).toHaveLength(1);
  });

  it("typing codes is limited per account: the 11th within the hour answers 429 with Retry-After", async () => {
    const { env } = testEnv(databaseUrl);
    const email = newEmail("guesser");
    const b = await registered(env, email);
    await signInAs(b, email, REGISTRANT_PASSWORD);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await b.post("/account", { intent: "confirm-code", code: "ZZZZZZZZ" })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(400));
    expect(statuses[10]).toBe(429);
    const limited = await b.post("/account", { intent: "confirm-code", code: "ZZZZZZZZ" });
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
  });
});

describe("This wasn't me", () => {
  it("removes the unconfirmed account at once, frees the address, costs no Zoho call and is counted for admins without the address", async () => {
    const { env, queue } = testEnv(databaseUrl);
    await connectZoho(env);
    await sandbox().clearCalls();
    const email = newEmail("notme");
    const stranger = await registered(env, email, "returning");
    await signInAs(browser(env), email, REGISTRANT_PASSWORD); // a signed-in session too
    const [{ id: userId }] = (await sql(databaseUrl, "select id from users where email = $1", [email])) as Array<{ id: string }>;
    const link = await linkFromMail(email, /Confirm your email/, "/verify-email");
    const owner = browser(env);
    const done = await press(owner, link, "not-me");
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe("/register");
    for (const table of ["users where email = $1", "customers where email = $1"]) expect(await sql(databaseUrl, `select 1 from ${table}`, [email])).toHaveLength(0);
    expect(await sql(databaseUrl, "select 1 from sessions where user_id = $1 or data->'registered'->>'userId' = $2", [userId, userId])).toHaveLength(0);
    expect(await sql(databaseUrl, "select 1 from email_tokens where user_id = $1", [userId])).toHaveLength(0);
    expect(await sql(databaseUrl, "select reason, zoho_contact_id from account_closures order by id desc limit 1")).toEqual([{ reason: "not_me", zoho_contact_id: null }]);
    expect(await sandbox().calls()).toEqual([]);
    expect(queue.sent).toEqual([]);
    // The stranger's browser has nothing left to confirm with.
    expect((await stranger.get("/register/sent")).headers.get("Location")).toBe("/register");
    // The owner registers with the address.
    await registered(env, email);
    expect(await sql(databaseUrl, "select 1 from users where email = $1", [email])).toHaveLength(1);
    const admin = await signedIn(env, databaseUrl, "admin");
    const dashboard = await (await admin.get("/admin")).text();
    expect(dashboard).toMatch(/\d+ unconfirmed registrations removed by the address&#x27;s owner/);
    expect(dashboard).not.toContain(email);
  });

  it("a confirmed account is not removed from a link", async () => {
    const { env } = testEnv(databaseUrl);
    const email = newEmail("kept");
    const b = await registered(env, email);
    const link = await linkFromMail(email, /Confirm your email/, "/verify-email");
    const html = await (await browser(env).get(link)).text();
    await press(b, link, "confirm");
    const refused = await browser(env).post(link, { token: hiddenField(html, "token"), intent: "not-me" });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("already confirmed");
    expect(await sql(databaseUrl, "select 1 from users where email = $1", [email])).toHaveLength(1);
  });
});

describe("registration gives nothing away (issue 24, item 2)", () => {
  // Nonces, tokens, request ids and the address typed are masked; everything else must be identical.
  const mask = (s: string, email: string) =>
    s
      .replaceAll(email, "EMAIL")
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "UUID")
      .replace(/name="csrf" value="[^"]*"/g, 'name="csrf" value="CSRF"')
      .replace(/"csrfToken":"[^"]*"/g, '"csrfToken":"CSRF"')
      .replace(/nonce="[^"]*"/g, 'nonce="NONCE"');

  async function answers(env: ReturnType<typeof testEnv>["env"], email: string) {
    const b = browser(env);
    const post = (fields: Record<string, string>) => b.post("/register", fields);
    const steps = [
      await post({ step: "1", intent: "next", firstName: "Ana", lastName: "Probe", email, phone: "0917 123 4567" }),
      await post({ step: "2", intent: "next", customerType: "returning" }),
      await post({ step: "3", intent: "next", deliveryMethod: "pickup" }),
      await post({ step: "4", intent: "next", password: "the prober's password", confirmPassword: "the prober's password" }),
    ];
    const page = await b.get("/register/sent");
    const body = mask(await page.text(), email).replaceAll(b.jar.get("csrf")!, "CSRF");
    return {
      steps: steps.map((r) => ({ status: r.status, location: r.headers.get("Location"), headers: [...r.headers.keys()].sort(), cookies: r.headers.getSetCookie().map((c) => c.split("=")[0]) })),
      page: { status: page.status, headers: [...page.headers.keys()].sort(), body },
    };
  }

  it("an address with an account (confirmed or not) and a new one get the same answers at every step", async () => {
    const { env } = testEnv(databaseUrl);
    const confirmed = await createUser(databaseUrl);
    const unconfirmed = newEmail("taken");
    await registered(env, unconfirmed);
    const fresh = await answers(env, newEmail("fresh"));
    expect(fresh.steps.at(-1)).toMatchObject({ status: 302, location: "/register/sent" });
    expect(await answers(env, confirmed.email)).toEqual(fresh);
    expect(await answers(env, unconfirmed)).toEqual(fresh);
    // Only the owners learn it, by mail.
    await waitForMail(inboxUrl(), confirmed.email, /You already have a Cangoods account/);
    await waitForMail(inboxUrl(), unconfirmed, /You already have a Cangoods account/);
  });

  it("the check is limited like registration: 5 an hour per address typed, then 429 with Retry-After", async () => {
    const { env } = testEnv(databaseUrl);
    const owner = await createUser(databaseUrl);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await registerThroughSteps(browser(env), { email: owner.email })).status);
    expect(statuses).toEqual([302, 302, 302, 302, 302, 429]);
    // The owner is told at most 5 times.
    await expect.poll(async () => (await mailsTo(inboxUrl(), owner.email, /You already have/)).length).toBe(5);
    expect((await readInbox(inboxUrl())).filter((m) => m.to.includes(owner.email)).length).toBe(5);
  });
});
