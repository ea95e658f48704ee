// Issue 23: passkeys (WebAuthn) as an admin's second factor, the authenticator app the fallback. An admin adds a
// named passkey on /admin/security and signs in with the password, then the passkey. Forged, replayed and cloned
// assertions, another admin's passkey and an expired or used challenge are refused, audited and throttled like
// wrong codes; the last factor cannot be removed. (In Chromium: tests/e2e/admin-passkeys.spec.ts.)
import { describe, expect, it } from "vitest";
import { browser, type Browser } from "./support/browser";
import { sql } from "./support/database";
import { createUser } from "./support/factories";
import { freshWorldPerTest } from "./support/fresh-world";
import { enrolledAdmin, signedInAdmin } from "./support/sign-in";
import { addSoftPasskey, assertion, challengeOf, newSoftPasskey, type SoftPasskey } from "./support/soft-passkey";
import { testEnv } from "./support/worker-env";

let databaseUrl: string;
freshWorldPerTest((url) => (databaseUrl = url));
const env = () => testEnv(databaseUrl).env;

async function passwordStep(b: Browser, admin: { email: string; password: string }) {
  const res = await b.post("/login", { email: admin.email, password: admin.password, redirectTo: "" });
  expect(res.status).toBe(302);
  return res.headers.get("Location");
}

/** An admin (with the authenticator app) who added a passkey. */
async function adminWithPasskey(name = "Work laptop") {
  const admin = await enrolledAdmin(env(), databaseUrl);
  const b = await signedInAdmin(env(), admin);
  const { passkey, factorId } = await addSoftPasskey(b, databaseUrl, admin.id, name);
  return { admin, b, passkey, factorId };
}

/** The sign-in's passkey step in `b` (after its password step): options, then `answer` to their challenge. */
async function signInWithPasskey(b: Browser, userId: string, answer: (challenge: string) => Promise<string>) {
  expect((await b.post("/login/factor", { intent: "passkey-options" })).status).toBe(200);
  return b.post("/login/factor", { intent: "passkey", response: await answer(await challengeOf(databaseUrl, userId)) });
}

const checkFailures = async (userId: string) =>
  ((await sql(databaseUrl, "select reason from admin_audit_log where admin_id = $1 and action = 'factor.check_failed' order by id", [userId])) as Array<{ reason: string }>).map(
    (r) => r.reason,
  );

describe("adding a passkey and signing in with it", () => {
  it("an admin names a passkey, sees it listed, and signs in with the password then the passkey", async () => {
    const { admin, b, passkey } = await adminWithPasskey("Work laptop");
    const page = await (await b.get("/admin/security")).text();
    expect(page).toContain("Work laptop");
    expect(page).toContain("not used yet");
    const actions = (await sql(databaseUrl, "select action from admin_audit_log where admin_id = $1 and action like 'factor.passkey%' order by id", [admin.id])) as Array<{ action: string }>;
    expect(actions.map((a) => a.action)).toEqual(["factor.passkey_registration_started", "factor.passkey_added"]);

    const next = browser(env());
    expect(await passwordStep(next, admin)).toBe("/login/factor");
    const step = await (await next.get("/login/factor")).text();
    expect(step).toContain("Sign in with a passkey");
    expect(step).toContain("Or with a code");
    const res = await signInWithPasskey(next, admin.id, (challenge) => assertion(passkey, challenge));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/admin");
    expect((await next.get("/admin")).status).toBe(200);
    expect(await (await next.get("/admin/security")).text()).toContain("last used");
  });

  it("without JavaScript the passkey buttons explain that passkeys need it", async () => {
    const { admin, b: security } = await adminWithPasskey();
    const b = browser(env());
    await passwordStep(b, admin);
    const res = await b.post("/login/factor", { intent: "passkey" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Passkeys need JavaScript");
    const add = await security.post("/admin/security", { intent: "add-passkey", name: "Phone" });
    expect(add.status).toBe(400);
    expect(await add.text()).toContain("Passkeys need JavaScript");
  });

  it("an admin with no passkey is offered none", async () => {
    const admin = await enrolledAdmin(env(), databaseUrl);
    const b = browser(env());
    await passwordStep(b, admin);
    expect(await (await b.get("/login/factor")).text()).not.toContain("Sign in with a passkey");
    expect((await b.post("/login/factor", { intent: "passkey-options" })).status).toBe(400);
  });
});

describe("refused passkeys", () => {
  it("forged, replayed and cloned assertions, another admin's passkey and an expired challenge are refused, audited and throttled", async () => {
    const { admin, passkey } = await adminWithPasskey();
    const other = await adminWithPasskey("Someone else's key");
    // The admin signs in once; an attacker who saw that assertion and knows the password tries it all.
    const owner = browser(env(), { address: "198.51.100.20" });
    await passwordStep(owner, admin);
    let seen = "";
    const first = await signInWithPasskey(owner, admin.id, async (challenge) => (seen = await assertion(passkey, challenge)));
    expect(first.status).toBe(302);

    const attacker = browser(env(), { address: "203.0.113.7" });
    await passwordStep(attacker, admin);
    const refused = async (answer: (challenge: string) => Promise<string>, message: string) => {
      const res = await signInWithPasskey(attacker, admin.id, answer);
      expect(res.status, message).toBe(400);
      expect(await res.text()).toContain(message);
      expect((await attacker.get("/admin")).status).toBe(302);
    };
    const forger: SoftPasskey = await newSoftPasskey();
    await refused((c) => assertion(passkey, c, { signWith: forger.keys.privateKey }), "That passkey could not be verified.");
    await refused(async () => seen, "That passkey could not be verified."); // replayed: signed for another challenge
    // Cloned: a copy of the authenticator signs with the counter the server last accepted (the first sign-in's).
    await refused((c) => assertion(passkey, c, { counter: 1 }), "That passkey could not be verified.");
    await refused((c) => assertion(other.passkey, c), "That passkey is not one of this account's.");
    await refused(async (c) => {
      await sql(databaseUrl, `update sessions set data = jsonb_set(data, '{passkeyChallenge,expiresAt}', '"2020-01-01T00:00:00.000Z"') where data -> 'passkeyChallenge' ->> 'challenge' = $1`, [c]);
      return assertion(passkey, c);
    }, "That passkey request has expired or was already used.");
    expect(await checkFailures(admin.id)).toEqual(["passkey: invalid", "passkey: invalid", "passkey: replayed", "passkey: unknown-credential", "passkey: challenge"]);

    // Five failures from one address: now even the right passkey waits there (the codes share the count).
    const waiting = await signInWithPasskey(attacker, admin.id, (c) => assertion(passkey, c));
    expect(waiting.status).toBe(429);
    expect(Number(waiting.headers.get("Retry-After"))).toBeGreaterThan(14 * 60);
    expect(await waiting.text()).toContain("Too many failed attempts.");
    expect((await attacker.post("/login/factor", { code: "123456" })).status).toBe(429);
    // The admin, elsewhere, is not locked out.
    const elsewhere = browser(env(), { address: "192.0.2.44" });
    await passwordStep(elsewhere, admin);
    expect((await signInWithPasskey(elsewhere, admin.id, (c) => assertion(passkey, c))).status).toBe(302);
  });

  it("a challenge works once, and only in the browser that asked for it", async () => {
    const { admin, passkey } = await adminWithPasskey();
    const asked = browser(env());
    await passwordStep(asked, admin);
    expect((await asked.post("/login/factor", { intent: "passkey-options" })).status).toBe(200);
    const challenge = await challengeOf(databaseUrl, admin.id);
    // Another browser past the password step cannot answer this browser's challenge.
    const other = browser(env());
    await passwordStep(other, admin);
    const foreign = await other.post("/login/factor", { intent: "passkey", response: await assertion(passkey, challenge) });
    expect(foreign.status).toBe(400);
    expect(await foreign.text()).toContain("expired or was already used");
    // A failed answer uses the challenge up: the right one afterwards needs new options.
    const forger = await newSoftPasskey();
    expect((await asked.post("/login/factor", { intent: "passkey", response: await assertion(passkey, challenge, { signWith: forger.keys.privateKey }) })).status).toBe(400);
    const again = await asked.post("/login/factor", { intent: "passkey", response: await assertion(passkey, challenge) });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("expired or was already used");
    expect((await signInWithPasskey(asked, admin.id, (c) => assertion(passkey, c))).status).toBe(302);
  });

  it("an assertion made for another site (origin) is refused", async () => {
    const { admin, passkey } = await adminWithPasskey();
    const b = browser(env());
    await passwordStep(b, admin);
    const res = await signInWithPasskey(b, admin.id, (c) => assertion(passkey, c, { origin: "https://evil.example" }));
    expect(res.status).toBe(400);
  });
});

describe("removing passkeys", () => {
  it("a passkey can be the first factor, but the last factor cannot be removed", async () => {
    const user = await createUser(databaseUrl, { role: "admin" });
    const b = browser(env());
    expect(await passwordStep(b, user)).toBe("/admin");
    const { factorId: first } = await addSoftPasskey(b, databaseUrl, user.id, "Only key");
    // The first factor: recovery codes exist now, and this session reaches the console.
    expect((await sql(databaseUrl, "select count(*)::int as n from admin_recovery_codes where user_id = $1", [user.id]))[0]).toEqual({ n: 10 });
    expect((await b.get("/admin")).status).toBe(200);
    expect(await (await b.get("/admin/security")).text()).toContain("Your only second factor");
    const last = await b.post("/admin/security", { intent: "remove-passkey", factorId: first });
    expect(last.status).toBe(409);
    expect(await last.text()).toContain("your only second factor");
    const { factorId: second } = await addSoftPasskey(b, databaseUrl, user.id, "Spare key");
    const removed = await b.post("/admin/security", { intent: "remove-passkey", factorId: first });
    expect(removed.status).toBe(302);
    const left = (await sql(databaseUrl, "select id from admin_factors where user_id = $1", [user.id])) as Array<{ id: string }>;
    expect(left.map((f) => f.id)).toEqual([second]);
    const audit = (await sql(databaseUrl, "select before from admin_audit_log where action = 'factor.passkey_removed'")) as Array<{ before: unknown }>;
    expect(audit).toEqual([{ before: { factorId: first } }]);
  });

  it("an admin cannot remove another admin's passkey", async () => {
    const { factorId } = await adminWithPasskey();
    const other = await signedInAdmin(env(), await enrolledAdmin(env(), databaseUrl));
    expect((await other.post("/admin/security", { intent: "remove-passkey", factorId })).status).toBe(404);
    expect(await sql(databaseUrl, "select id from admin_factors where id = $1", [factorId])).toHaveLength(1);
  });
});
