// Admins and their roles (issue 23, item 3): an owner invites by mail, the invitee opens the link (which changes
// nothing), chooses a password and is signed in as an admin of the invited role; links are single-use, expire and
// can be revoked; removing an admin ends their sessions at once; the last owner stays, even against two owners
// removing each other at the same moment (the database decides). Who may reach what: security.test.ts.
import { beforeEach, describe, expect, it } from "vitest";
import { mailsTo } from "@tools/local-stack/mail-inbox";
import { createAppServices } from "~/context.server";
import { deliverMail, queueMail } from "~/email/outbox.server";
import { housekeeping } from "~/maintenance/housekeeping.server";
import { browser, type Browser } from "./support/browser";
import { freshDatabase, resetDatabase, sql } from "./support/database";
import { createCustomerWithJob, createUser } from "./support/factories";
import { hiddenField, linkFromMail } from "./support/mail-links";
import { setUpAuthenticatorApp, signedIn } from "./support/sign-in";
import { totpCode } from "~/auth/factors/totp";
import { bindings, testEnv } from "./support/worker-env";

let databaseUrl: string;
beforeEach(async () => {
  databaseUrl ??= await freshDatabase();
  await resetDatabase(databaseUrl);
});

let n = 0;
const newEmail = (tag = "invitee") => `${tag}${++n}-${crypto.randomUUID().slice(0, 8)}@staff.example`;
const env = () => testEnv(databaseUrl).env;
const owner = () => signedIn(env(), databaseUrl, "admin", "owner");
const staff = () => signedIn(env(), databaseUrl, "admin", "staff");
const INVITE_SUBJECT = /invited to the Cangoods admin console/;
const PASSWORD = "a long admin password";

async function invite(by: Browser, email: string, role: "owner" | "staff" = "staff") {
  return by.post("/admin/admins", { intent: "invite", email, role });
}

/** Invites `email` and returns the path of the mailed link. */
async function invited(by: Browser, email: string, role: "owner" | "staff" = "staff") {
  const res = await invite(by, email, role);
  expect(res.status, "the invitation is sent").toBe(302);
  return linkFromMail(email, INVITE_SUBJECT, "/accept-invitation");
}

/** Opens the link's page and chooses the password on it, as the invitee does. */
async function accept(b: Browser, link: string, password = PASSWORD) {
  const page = await b.get(link);
  const html = await page.text();
  return b.post(link, { token: hiddenField(html, "token"), password, confirmPassword: password, intent: "accept" }, { csrf: hiddenField(html, "csrf") });
}

const tokenOf = (link: string) => new URL(link, "http://portal.test").searchParams.get("token")!;
const sha256 = async (s: string) => Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s))), (b) => b.toString(16).padStart(2, "0")).join("");

async function state() {
  return {
    users: await sql(databaseUrl, "select id, email, role, admin_role, password_hash from users order by id"),
    invitations: await sql(databaseUrl, "select id, accepted_at, revoked_at, token_hash, expires_at from admin_invitations order by id"),
    sessions: await sql(databaseUrl, "select id, user_id from sessions order by id"),
  };
}

describe("an invitation by mail", () => {
  it("an invited staff member opens the link (nothing changes), chooses a password and is signed in as staff", async () => {
    const o = await owner();
    const email = newEmail();
    const link = await invited(o, email, "staff");
    const mail = (await mailsTo(bindings.TEST_MAIL_INBOX_URL, email, INVITE_SUBJECT))[0];
    expect(mail.text).toContain("as staff (customers, review, linking and retries)");
    // Stored hashed: the mailed token is not in the database, its SHA-256 is.
    const [row] = (await sql(databaseUrl, "select token_hash, admin_role from admin_invitations where email = $1", [email])) as Array<{ token_hash: string; admin_role: string }>;
    expect(row.token_hash).toBe(await sha256(tokenOf(link)));
    expect(row.admin_role).toBe("staff");

    // A mail scanner opens the link (GET and HEAD, twice, without cookies): nothing changes.
    const before = await state();
    for (let i = 0; i < 2; i++) {
      const page = await browser(env()).get(link);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(email);
      expect((await browser(env()).request(link, { method: "HEAD" })).status).toBe(200);
    }
    expect(await state()).toEqual(before);

    const invitee = browser(env());
    const res = await accept(invitee, link);
    expect(res.status).toBe(302);
    // A new admin sets up a second factor before anything else (decision 034).
    expect(res.headers.get("Location")).toBe("/admin/security");
    expect((await invitee.get("/admin/customers")).headers.get("Location")).toBe("/admin/security");
    const { secret } = await setUpAuthenticatorApp(invitee);
    const [user] = (await sql(databaseUrl, "select role, admin_role, email_verified_at, password_hash from users where email = $1", [email])) as Array<Record<string, unknown>>;
    expect(user).toMatchObject({ role: "admin", admin_role: "staff" });
    expect(user.email_verified_at).not.toBeNull();
    expect(String(user.password_hash)).toMatch(/^pbkdf2_sha256\$100000\$/);
    // Signed in, as staff: customers yes, the owner's pages no.
    expect((await invitee.get("/admin")).status).toBe(200);
    expect((await invitee.get("/admin/customers")).status).toBe(200);
    expect((await invitee.get("/admin/admins")).status).toBe(403);
    // And the chosen password works at the sign-in form.
    const again = browser(env());
    expect((await again.post("/login", { email, password: PASSWORD, redirectTo: "" })).headers.get("Location")).toMatch(/^\/login\/factor/);
    expect((await again.post("/login/factor", { code: totpCode(secret, Date.now() + 30_000), intent: "verify" })).headers.get("Location")).toBe("/admin");
  });

  it("an invited owner becomes an owner and manages admins", async () => {
    const o = await owner();
    const email = newEmail("owner");
    const invitee = browser(env());
    expect((await accept(invitee, await invited(o, email, "owner"))).status).toBe(302);
    await setUpAuthenticatorApp(invitee);
    expect((await invitee.get("/admin/admins")).status).toBe(200);
    expect((await sql(databaseUrl, "select admin_role from users where email = $1", [email]))[0]).toEqual({ admin_role: "owner" });
  });

  it("the link works once: a second submit and a second visit say it was accepted", async () => {
    const o = await owner();
    const email = newEmail();
    const link = await invited(o, email);
    const page = await browser(env()).get(link);
    const html = await page.text();
    const fields = { token: hiddenField(html, "token"), password: PASSWORD, confirmPassword: PASSWORD };
    const first = browser(env());
    expect((await first.post(link, fields)).status).toBe(302);
    const second = await browser(env()).post(link, { ...fields, password: "another password!", confirmPassword: "another password!" });
    expect(second.status).toBe(410);
    expect(await second.text()).toContain("This invitation has already been accepted");
    expect(await (await browser(env()).get(link)).text()).toContain("This invitation has already been accepted");
    expect(await sql(databaseUrl, "select count(*)::int as n from users where email = $1", [email])).toEqual([{ n: 1 }]);
  });

  it("two submits of the same link at the same moment make one admin", async () => {
    const o = await owner();
    const email = newEmail();
    const link = await invited(o, email);
    const html = await (await browser(env()).get(link)).text();
    const fields = { token: hiddenField(html, "token"), password: PASSWORD, confirmPassword: PASSWORD };
    const statuses = (await Promise.all([browser(env()).post(link, fields), browser(env()).post(link, fields)])).map((r) => r.status).sort();
    expect(statuses).toEqual([302, 410]);
    expect(await sql(databaseUrl, "select count(*)::int as n from users where email = $1", [email])).toEqual([{ n: 1 }]);
  });

  it("an expired link is refused with a clear message and creates nothing", async () => {
    const o = await owner();
    const email = newEmail();
    const link = await invited(o, email);
    await sql(databaseUrl, "update admin_invitations set expires_at = now() - interval '1 minute' where email = $1", [email]);
    const page = await browser(env()).get(link);
    expect(await page.text()).toContain("This invitation has expired (invitations work for 72 hours)");
    const res = await browser(env()).post(link, { token: tokenOf(link), password: PASSWORD, confirmPassword: PASSWORD });
    expect(res.status).toBe(410);
    expect(await res.text()).toContain("This invitation has expired");
    expect(await sql(databaseUrl, "select count(*)::int as n from users where email = $1", [email])).toEqual([{ n: 0 }]);
    // The owner sees it expired and may invite the address again (the expired invitation closes).
    expect(await (await o.get("/admin/admins")).text()).toContain("Expired: invite again");
    expect((await invite(o, email)).status).toBe(302);
  });

  it("the link expires 72 hours after the invitation", async () => {
    const o = await owner();
    const email = newEmail();
    await invited(o, email);
    const [row] = (await sql(databaseUrl, "select extract(epoch from expires_at - created_at)::int as s from admin_invitations where email = $1", [email])) as Array<{ s: number }>;
    expect(row.s).toBe(72 * 3600);
  });

  it("a revoked invitation's link is refused, and revoking is the owner's", async () => {
    const o = await owner();
    const email = newEmail();
    const link = await invited(o, email);
    const [{ id }] = (await sql(databaseUrl, "select id from admin_invitations where email = $1", [email])) as Array<{ id: string }>;
    const s = await staff();
    expect((await s.post("/admin/admins", { intent: "revoke", invitationId: id })).status).toBe(403);
    expect((await o.post("/admin/admins", { intent: "revoke", invitationId: id })).status).toBe(302);
    expect(await (await o.get("/admin/admins")).text()).not.toContain(`Revoke the invitation to ${email}`);
    expect(await (await browser(env()).get(link)).text()).toContain("This invitation was withdrawn");
    const res = await browser(env()).post(link, { token: tokenOf(link), password: PASSWORD, confirmPassword: PASSWORD });
    expect(res.status).toBe(410);
    expect(await sql(databaseUrl, "select count(*)::int as n from users where email = $1", [email])).toEqual([{ n: 0 }]);
  });

  it("a newer invitation mail replaces the earlier link (the outbox mints a fresh one at each send)", async () => {
    const o = await owner();
    const email = newEmail();
    const first = await invited(o, email);
    const [{ id }] = (await sql(databaseUrl, "select id from admin_invitations where email = $1", [email])) as Array<{ id: string }>;
    const app = createAppServices(env());
    try {
      await queueMail(app.db, [{ kind: "admin_invitation", invitationId: id, to: email }]);
      await deliverMail(app);
    } finally {
      await app.close();
    }
    expect((await mailsTo(bindings.TEST_MAIL_INBOX_URL, email, INVITE_SUBJECT)).length).toBe(2);
    const second = await linkFromMail(email, INVITE_SUBJECT, "/accept-invitation");
    expect(second).not.toBe(first);
    expect(await (await browser(env()).get(first)).text()).toContain("This invitation link is not valid");
    expect((await accept(browser(env()), second)).status).toBe(302);
  });

  it("an invitation revoked before its mail went out is not sent", async () => {
    const o = await owner();
    const email = newEmail();
    await invited(o, email);
    const [{ id }] = (await sql(databaseUrl, "select id from admin_invitations where email = $1", [email])) as Array<{ id: string }>;
    await sql(databaseUrl, "update admin_invitations set revoked_at = now() where id = $1", [id]);
    const app = createAppServices(env());
    try {
      await queueMail(app.db, [{ kind: "admin_invitation", invitationId: id, to: email }]);
      expect(await deliverMail(app)).toEqual({ sent: 0, failed: 0 });
    } finally {
      await app.close();
    }
    expect((await mailsTo(bindings.TEST_MAIL_INBOX_URL, email, INVITE_SUBJECT)).length).toBe(1);
  });

  it("an address with a customer account, an admin or a waiting invitation cannot be invited, with a message saying why", async () => {
    const o = await owner();
    const customer = await createUser(databaseUrl, { role: "customer" });
    const record = (await createCustomerWithJob(databaseUrl)).customer;
    const admin = await createUser(databaseUrl, { role: "admin", adminRole: "staff" });
    const waiting = newEmail();
    await invited(o, waiting);
    const cases: Array<[string, string]> = [
      [customer.email, "This address belongs to a customer account"],
      [record.email.toUpperCase(), "This address belongs to a customer account"],
      [admin.email, "This address already belongs to an admin"],
      [waiting, "This address already has an invitation waiting"],
    ];
    for (const [email, message] of cases) {
      const res = await invite(o, email);
      expect(res.status, email).toBe(409);
      expect(await res.text(), email).toContain(message);
    }
    expect(await sql(databaseUrl, "select count(*)::int as n from admin_invitations")).toEqual([{ n: 1 }]);
    expect((await mailsTo(bindings.TEST_MAIL_INBOX_URL, customer.email, INVITE_SUBJECT)).length).toBe(0);
  });

  it("invitations are throttled: 3 a day to one address, 10 an hour from one owner (429 with Retry-After)", async () => {
    const o = await owner();
    const email = newEmail();
    for (let i = 0; i < 3; i++) {
      expect((await invite(o, email)).status, `invitation ${i + 1}`).toBe(302);
      await sql(databaseUrl, "update admin_invitations set revoked_at = now() where revoked_at is null");
    }
    const fourth = await invite(o, email);
    expect(fourth.status).toBe(429);
    expect(Number(fourth.headers.get("Retry-After"))).toBeGreaterThan(3600);
    expect(await fourth.text()).toContain("Too many invitations");
    expect((await mailsTo(bindings.TEST_MAIL_INBOX_URL, email, INVITE_SUBJECT)).length).toBe(3);
    for (let i = 0; i < 6; i++) expect((await invite(o, newEmail("many"))).status).toBe(302);
    const eleventh = await invite(o, newEmail("many"));
    expect(eleventh.status).toBe(429);
  });
});

describe("housekeeping", () => {
  it("forgets invitations 30 days after they were accepted, revoked or expired, and keeps the ones still open", async () => {
    const ownerId = (await createUser(databaseUrl, { role: "admin" })).id;
    const rows: Array<[string, string]> = [
      ["open@staff.example", "null, null, now() + interval '1 day'"],
      ["accepted-recently@staff.example", "now() - interval '29 days', null, now() - interval '28 days'"],
      ["accepted-long-ago@staff.example", "now() - interval '31 days', null, now() - interval '30 days'"],
      ["revoked-long-ago@staff.example", "null, now() - interval '31 days', now() - interval '29 days'"],
      ["expired-long-ago@staff.example", "null, null, now() - interval '31 days'"],
    ];
    for (const [email, times] of rows)
      await sql(databaseUrl, `insert into admin_invitations (email, admin_role, invited_by, accepted_at, revoked_at, expires_at) values ($1, 'staff', $2, ${times})`, [email, ownerId]);
    const app = createAppServices(env());
    try {
      expect((await housekeeping(app.db)).admin_invitations).toBe(3);
    } finally {
      await app.close();
    }
    expect(await sql(databaseUrl, "select email from admin_invitations order by email")).toEqual([{ email: "accepted-recently@staff.example" }, { email: "open@staff.example" }]);
  });
});

describe("roles, removal and the last owner", () => {
  it("removing an admin ends their sessions at once", async () => {
    const o = await owner();
    const s = await staff();
    const elsewhere = browser(env());
    expect((await elsewhere.post("/login", { email: s.email, password: "correct horse battery staple", redirectTo: "" })).status).toBe(302);
    expect((await s.get("/admin/customers")).status).toBe(200);
    const page = await o.get(`/admin/admins?remove=${s.userId}`);
    expect(await page.text()).toContain(`Remove ${s.email}?`);
    expect((await o.post("/admin/admins", { intent: "remove", userId: s.userId })).status).toBe(302);
    for (const b of [s, elsewhere]) {
      const res = await b.get("/admin/customers");
      expect(res.status).toBe(302);
      expect(res.headers.get("Location")).toMatch(/^\/login/);
    }
    expect(await sql(databaseUrl, "select count(*)::int as n from sessions where user_id = $1", [s.userId])).toEqual([{ n: 0 }]);
    expect((await browser(env()).post("/login", { email: s.email, password: "correct horse battery staple", redirectTo: "" })).status).toBe(400);
  });

  it("a role change applies to the admin's next request, without signing in again", async () => {
    const o = await owner();
    const s = await staff();
    expect((await s.get("/admin/admins")).status).toBe(403);
    expect((await o.post("/admin/admins", { intent: "change_role", userId: s.userId, role: "owner" })).status).toBe(302);
    expect((await s.get("/admin/admins")).status).toBe(200);
    expect((await o.post("/admin/admins", { intent: "change_role", userId: s.userId, role: "staff" })).status).toBe(302);
    expect((await s.get("/admin/admins")).status).toBe(403);
  });

  it("the last owner can be neither removed nor demoted, from the page or in the database", async () => {
    const o = await owner();
    await staff();
    const attempts: Array<Record<string, string>> = [{ intent: "remove", userId: o.userId }, { intent: "change_role", userId: o.userId, role: "staff" }];
    for (const fields of attempts) {
      const res = await o.post("/admin/admins", fields);
      expect(res.status, fields.intent).toBe(409);
      expect(await res.text()).toContain("The shop needs at least one owner");
    }
    await expect(sql(databaseUrl, "delete from users where id = $1", [o.userId])).rejects.toThrow(/the last owner cannot be removed/);
    await expect(sql(databaseUrl, "update users set admin_role = 'staff' where id = $1", [o.userId])).rejects.toThrow(/the last owner cannot be removed/);
    expect(await sql(databaseUrl, "select count(*)::int as n from users where admin_role = 'owner'")).toEqual([{ n: 1 }]);
    // With a second owner, either may go.
    const second = await owner();
    expect((await second.post("/admin/admins", { intent: "remove", userId: o.userId })).status).toBe(302);
  });

  it("two owners removing each other at the same moment leave one owner", async () => {
    for (let round = 0; round < 3; round++) {
      await resetDatabase(databaseUrl);
      const [a, b] = await Promise.all([owner(), owner()]);
      const answers = await Promise.all([a.post("/admin/admins", { intent: "remove", userId: b.userId }), b.post("/admin/admins", { intent: "remove", userId: a.userId })]);
      // One removal went through; the other was refused: the last owner (409), its owner no longer one (403), or
      // its owner already removed and signed out when the request arrived (off to sign-in).
      const removed = answers.filter((r) => r.headers.get("Location") === "/admin/admins");
      expect(removed, `round ${round}: ${answers.map((r) => `${r.status} ${r.headers.get("Location")}`)}`).toHaveLength(1);
      const other = answers.find((r) => r !== removed[0])!;
      expect(other.status === 302 ? other.headers.get("Location") : String(other.status)).toMatch(/^(403|409|\/login\?redirectTo=.*)$/);
      expect(await sql(databaseUrl, "select count(*)::int as n from users where admin_role = 'owner'")).toEqual([{ n: 1 }]);
    }
  });

  it("the database alone keeps an owner when two connections delete the only two owners at once", async () => {
    const [a, b] = await Promise.all([createUser(databaseUrl, { role: "admin" }), createUser(databaseUrl, { role: "admin" })]);
    const results = await Promise.allSettled([sql(databaseUrl, "delete from users where id = $1", [a.id]), sql(databaseUrl, "delete from users where id = $1", [b.id])]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(String((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason)).toMatch(/the last owner cannot be removed/);
    expect(await sql(databaseUrl, "select count(*)::int as n from users where admin_role = 'owner'")).toEqual([{ n: 1 }]);
  });

  it("an admin always has a role and a customer never has one (check constraint)", async () => {
    await expect(sql(databaseUrl, "insert into users (email, password_hash, role) values ('norole@staff.example', 'x', 'admin')")).rejects.toThrow(/users_admin_role_check/);
    await expect(sql(databaseUrl, "insert into users (email, password_hash, role, admin_role) values ('cust@staff.example', 'x', 'customer', 'staff')")).rejects.toThrow(/users_admin_role_check/);
    await expect(sql(databaseUrl, "insert into users (email, password_hash, role, admin_role) values ('boss@staff.example', 'x', 'admin', 'boss')")).rejects.toThrow(/users_admin_role_check/);
  });
});
