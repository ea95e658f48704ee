// The lockout table: what strangers' failed sign-ins can and cannot do to an account's owner. Addresses are
// what Cloudflare reports as the client (CF-Connecting-IP). A stranger's address is slowed and then made to
// wait; the owner elsewhere is never refused; when many addresses guess one account, the right password
// alone no longer signs in and the emailed reset link is the proof (docs/decisions/024).
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { linkIn, waitForMail } from "@tools/local-stack/mail-inbox";
import { browser } from "./support/browser";
import { freshDatabase, sql } from "./support/database";
import { createUser } from "./support/factories";
import { enrolledAdmin, signedInAdmin } from "./support/sign-in";
import { bindings, testEnv } from "./support/worker-env";

let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await freshDatabase();
});
beforeEach(async () => {
  await sql(databaseUrl, "truncate auth_throttle");
});

type Target = "owner" | "someone else" | "unknown";
type Attempt = { times: number; from: string | "a new address each time"; target: Target | "a different unknown email each time"; password: "right" | "wrong" };
type Row = {
  name: string;
  owner: "customer" | "admin";
  before: Attempt[];
  then: { from: string; password: "right" | "wrong"; target?: Target };
  expect: { status: number; says?: string; location?: string; retryAfterOver?: number; resetMail?: boolean };
};

const STRANGER = "203.0.113.66";
const OWNER_HOME = "198.51.100.7";
const WAIT = "Too many failed sign-ins from here. Please try again in 15 minutes, or reset your password.";
const PROVE = "For your security, this account needs one more step before it can be signed in.";

const LOCKOUT_TABLE: Row[] = [
  {
    name: "five wrong passwords from one address: that address waits, even with the right password",
    owner: "customer",
    before: [{ times: 5, from: STRANGER, target: "owner", password: "wrong" }],
    then: { from: STRANGER, password: "right" },
    expect: { status: 429, says: WAIT, retryAfterOver: 14 * 60 },
  },
  {
    name: "five wrong passwords from a stranger's address: the owner at home signs in at once",
    owner: "customer",
    before: [{ times: 5, from: STRANGER, target: "owner", password: "wrong" }],
    then: { from: OWNER_HOME, password: "right" },
    expect: { status: 302, location: "/account" },
  },
  {
    name: "the same for an admin: strangers cannot lock an admin out",
    owner: "admin",
    before: [{ times: 5, from: STRANGER, target: "owner", password: "wrong" }],
    then: { from: OWNER_HOME, password: "right" },
    expect: { status: 302, location: "/admin" },
  },
  {
    name: "four mistakes are only mistakes: the fifth try with the right password signs in",
    owner: "customer",
    before: [{ times: 4, from: OWNER_HOME, target: "owner", password: "wrong" }],
    then: { from: OWNER_HOME, password: "right" },
    expect: { status: 302, location: "/account" },
  },
  {
    name: "a success forgets the address's own mistakes: four more are still only mistakes",
    owner: "customer",
    before: [
      { times: 4, from: OWNER_HOME, target: "owner", password: "wrong" },
      { times: 1, from: OWNER_HOME, target: "owner", password: "right" },
      { times: 4, from: OWNER_HOME, target: "owner", password: "wrong" },
    ],
    then: { from: OWNER_HOME, password: "right" },
    expect: { status: 302, location: "/account" },
  },
  {
    name: "one address guessing thirty accounts waits, for the owner's account too",
    owner: "customer",
    before: [{ times: 30, from: STRANGER, target: "a different unknown email each time", password: "wrong" }],
    then: { from: STRANGER, password: "right" },
    expect: { status: 429, says: WAIT },
  },
  {
    name: "one address guessing thirty accounts: the owner elsewhere is not affected",
    owner: "customer",
    before: [{ times: 30, from: STRANGER, target: "a different unknown email each time", password: "wrong" }],
    then: { from: OWNER_HOME, password: "right" },
    expect: { status: 302, location: "/account" },
  },
  {
    name: "an email without an account is throttled exactly like one with an account (nothing to learn from it)",
    owner: "customer",
    before: [{ times: 5, from: STRANGER, target: "unknown", password: "wrong" }],
    then: { from: STRANGER, password: "wrong", target: "unknown" },
    expect: { status: 429, says: WAIT },
  },
  {
    name: "ten addresses guessing one account: the right password alone asks for the emailed link, and the link is mailed",
    owner: "customer",
    before: [{ times: 10, from: "a new address each time", target: "owner", password: "wrong" }],
    then: { from: OWNER_HOME, password: "right" },
    expect: { status: 403, says: PROVE, resetMail: true },
  },
  {
    name: "ten addresses guessing one account: a wrong password gets the same answer, and no mail",
    owner: "customer",
    before: [{ times: 10, from: "a new address each time", target: "owner", password: "wrong" }],
    then: { from: OWNER_HOME, password: "wrong" },
    expect: { status: 403, says: PROVE, resetMail: false },
  },
  {
    name: "ten addresses guessing the password of an admin without a second factor yet: the admin is asked for the emailed link, never locked out",
    owner: "admin",
    before: [{ times: 10, from: "a new address each time", target: "owner", password: "wrong" }],
    then: { from: OWNER_HOME, password: "right" },
    expect: { status: 403, says: PROVE, resetMail: true },
  },
  {
    name: "ten addresses guessing another account change nothing for this one",
    owner: "customer",
    before: [{ times: 10, from: "a new address each time", target: "someone else", password: "wrong" }],
    then: { from: OWNER_HOME, password: "right" },
    expect: { status: 302, location: "/account" },
  },
];

let address = 0;
const resetMails = async (userId: string) =>
  ((await sql(databaseUrl, "select count(*)::int as n from email_outbox where user_id = $1 and kind = 'reset_password'", [userId])) as Array<{ n: number }>)[0].n;

async function signIn(from: string, email: string, password: string) {
  return browser(testEnv(databaseUrl).env, { address: from }).post("/login", { email, password, redirectTo: "" });
}

describe("the lockout table", () => {
  it.each(LOCKOUT_TABLE.map((row) => [row.name, row] as const))("%s", async (_name, row) => {
    const owner = await createUser(databaseUrl, { role: row.owner });
    const other = await createUser(databaseUrl, { role: "customer" });
    const unknown = `nobody-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const emailOf = (t: Target) => (t === "owner" ? owner.email : t === "someone else" ? other.email : unknown);
    const passwordOf = (t: Target, p: "right" | "wrong") => (p === "wrong" ? `wrong-${crypto.randomUUID()}` : t === "someone else" ? other.password : owner.password);
    for (const step of row.before)
      for (let i = 0; i < step.times; i++) {
        const from = step.from === "a new address each time" ? `192.0.2.${++address % 250}` : step.from;
        const email = step.target === "a different unknown email each time" ? `guess-${i}-${crypto.randomUUID().slice(0, 6)}@example.com` : emailOf(step.target);
        await signIn(from, email, passwordOf(step.target === "a different unknown email each time" ? "unknown" : step.target, step.password));
      }
    const mailsBefore = await resetMails(owner.id);
    const target = row.then.target ?? "owner";
    const res = await signIn(row.then.from, emailOf(target), passwordOf(target, row.then.password));
    expect(res.status).toBe(row.expect.status);
    if (row.expect.location) expect(res.headers.get("Location")).toBe(row.expect.location);
    if (row.expect.says) expect(await res.text()).toContain(row.expect.says);
    if (row.expect.retryAfterOver) expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(row.expect.retryAfterOver);
    if (row.expect.status !== 302) expect(res.headers.getSetCookie().some((c) => /^(__Host-)?session=[^;]/.test(c))).toBe(false);
    if (row.expect.resetMail !== undefined) expect(await resetMails(owner.id)).toBe(mailsBefore + (row.expect.resetMail ? 1 : 0));
  });
});

describe("the proof the table asks for", () => {
  const mask = (html: string) =>
    html
      .replace(/nonce="[^"]*"/g, 'nonce="…"')
      .replace(/name="csrf" value="[^"]*"/g, 'name="csrf" value="…"')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<request id>")
      .replace(/[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{40,}/g, "<csrf token>");

  it("under attack, the right and a wrong password get the same answer: status, header names and page", async () => {
    const owner = await createUser(databaseUrl);
    for (let i = 0; i < 10; i++) await signIn(`192.0.2.${++address % 250}`, owner.email, `wrong-${i}`);
    const right = await signIn(OWNER_HOME, owner.email, owner.password);
    const wrong = await signIn(OWNER_HOME, owner.email, "a wrong password");
    expect(right.status).toBe(wrong.status);
    expect([...right.headers.keys()].sort()).toEqual([...wrong.headers.keys()].sort());
    expect(mask(await right.text())).toBe(mask(await wrong.text()));
  });

  it("the emailed link lets the owner choose a new password and sign in with it at once", async () => {
    const owner = await createUser(databaseUrl);
    for (let i = 0; i < 10; i++) await signIn(`192.0.2.${++address % 250}`, owner.email, `wrong-${i}`);
    expect((await signIn(OWNER_HOME, owner.email, owner.password)).status).toBe(403);
    const link = linkIn(await waitForMail(bindings.TEST_MAIL_INBOX_URL, owner.email, /Reset your/), "http://portal.test/reset-password?token=");
    const home = browser(testEnv(databaseUrl).env, { address: OWNER_HOME });
    const token = new URL(link).searchParams.get("token")!;
    const reset = await home.post("/reset-password", { token, password: "a brand new password", confirmPassword: "a brand new password" });
    expect(reset.status).toBe(302);
    const signedIn = await home.post("/login", { email: owner.email, password: "a brand new password", redirectTo: "" });
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get("Location")).toBe("/account");
  });
});

// Issue 23 (docs/decisions/040): an admin with a second factor proves it is them with the factor, so the
// account-wide "prove it" state never stands between them and the console; strangers only slow themselves down.
describe("an admin with a second factor", () => {
  it("a stranger's wrong passwords from another address do not stop the admin signing in from theirs", async () => {
    const env = testEnv(databaseUrl).env;
    const admin = await enrolledAdmin(env, databaseUrl);
    for (let i = 0; i < 8; i++) await signIn(STRANGER, admin.email, `wrong-${i}`);
    const stranger = await signIn(STRANGER, admin.email, admin.password);
    expect(stranger.status, "the stranger's address waits, even with the right password").toBe(429);
    const home = await signedInAdmin(env, admin, { address: OWNER_HOME });
    expect((await home.get("/admin")).status).toBe(200);
  });

  it("ten addresses guessing the admin's password: the password and the code still sign in, no mail needed; a wrong password gets the usual answer", async () => {
    const env = testEnv(databaseUrl).env;
    const admin = await enrolledAdmin(env, databaseUrl);
    for (let i = 0; i < 10; i++) await signIn(`192.0.2.${++address % 250}`, admin.email, `wrong-${i}`);
    const mailsBefore = await resetMails(admin.id);
    const wrong = await signIn(OWNER_HOME, admin.email, "a wrong password");
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).toContain(PROVE);
    const home = await signedInAdmin(env, admin, { address: OWNER_HOME });
    expect((await home.get("/admin")).status).toBe(200);
    expect(await resetMails(admin.id)).toBe(mailsBefore);
  });
});
