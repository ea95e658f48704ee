// Issue 23 item 2 (docs/decisions/040). The dangerous admin actions ask for the second factor again when the
// session's last factor check is older than ADMIN_REAUTH_MINUTES: the answer is the re-auth step (the code
// field, the action's own fields, the CSRF field) and nothing changes; the step posted with a right code does
// the action. Admin sessions end after ADMIN_IDLE_MINUTES without a request, and the sign-in page says so.
import { afterEach, describe, expect, it, vi } from "vitest";
import { nextFactorCode } from "@tools/admin-sign-in";
import { REAUTH_ACTIONS } from "~/auth/reauth.server";
import { allJobStates } from "~/sync/jobs/tooling.server";
import { ADMIN_REQUESTS, fill } from "./support/admin-requests";
import { prepareAdminRequest, sendAdminRequest, withOwnPasskeyState } from "./support/admin-request-world";
import { browser } from "./support/browser";
import { sql, testDb } from "./support/database";
import { createUser } from "./support/factories";
import { freshWorldPerTest } from "./support/fresh-world";
import { enrolledAdmin, signedInAdmin } from "./support/sign-in";
import { testEnv } from "./support/worker-env";

let databaseUrl: string;
freshWorldPerTest((url) => (databaseUrl = url));
afterEach(() => {
  vi.useRealTimers();
});

const DANGEROUS = ADMIN_REQUESTS.filter((r) => r.audit in REAUTH_ACTIONS);
const MINUTE = 60_000;

const lastAuditId = async () => ((await sql(databaseUrl, "select coalesce(max(id), 0)::int as id from admin_audit_log")) as Array<{ id: number }>)[0].id;
const auditSince = async (id: number) =>
  (await sql(databaseUrl, "select action, reason, after from admin_audit_log where id > $1 order by id", [id])) as Array<{ action: string; reason: string | null; after: Record<string, unknown> | null }>;

/** Everything a dangerous action changes: customers' sync and links, the jobs, admins and roles, invitations, the Zoho connection. */
async function world() {
  const [row] = await sql(
    databaseUrl,
    `select (select json_agg(json_build_object('id', id, 'status', zoho_sync_status, 'contact', zoho_contact_id) order by id) from customers) as customers,
            (select json_agg(json_build_object('id', id, 'role', role, 'adminRole', admin_role) order by id) from users) as users,
            (select count(*)::int from admin_invitations) as invitations,
            (select count(*)::int from zoho_tokens) as zoho,
            (select count(*)::int from sessions) as sessions`,
  );
  const { db, close } = testDb(databaseUrl);
  const jobs = await allJobStates(db).finally(close);
  return { ...(row as object), jobs };
}

async function adminAndRequest(env: ReturnType<typeof testEnv>["env"], r: (typeof DANGEROUS)[number], opts: { address?: string } = {}) {
  const values = await prepareAdminRequest(databaseUrl, env, r);
  const login = await enrolledAdmin(env, databaseUrl);
  const b = await signedInAdmin(env, login, opts);
  return { login, b, request: fill(r, values) };
}

const names = DANGEROUS.map((r) => [`${r.fields?.intent} (${r.audit})`, r] as const);

describe("the dangerous actions", () => {
  it("are the ones the issue names, in one list", () => {
    expect(Object.keys(REAUTH_ACTIONS).sort()).toEqual(
      ["admins.invited", "admins.removed", "admins.role_changed", "customers.backfill", "customers.confirm_all_links", "customers.retry_all_failed", "zoho.disconnected"].sort(),
    );
    // Every one of them is a request of the security matrix's table.
    expect(DANGEROUS.map((r) => r.audit).sort()).toEqual(Object.keys(REAUTH_ACTIONS).sort());
  });

  it.each(names)("%s: refused with the re-auth step when the factor check is older than the window; nothing changes", async (_name, r) => {
    const { env } = testEnv(databaseUrl, { ADMIN_REAUTH_MINUTES: "0" });
    const { b, request } = await adminAndRequest(env, r);
    const before = await world();
    const since = await lastAuditId();
    const res = await sendAdminRequest(b, request);
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain("Confirm it is you");
    const what = REAUTH_ACTIONS[r.audit as keyof typeof REAUTH_ACTIONS].replaceAll("'", "&#x27;");
    expect(html).toContain(`To ${what}, type a code from your authenticator app again.`);
    // The step carries the action's own fields back to the same action, with a CSRF field of its own.
    const form = html.match(/<form[^>]*id="reauth"[^>]*>[\s\S]*?<\/form>/)!;
    expect(form[0].match(/^<form[^>]*action="([^"]*)"/)![1].replaceAll("&amp;", "&")).toBe(request.path);
    expect(form[0]).toMatch(/^<form[^>]*method="post"/);
    for (const [name, value] of Object.entries(request.fields!)) expect(form[0], name).toMatch(new RegExp(`name="${name}" value="${value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"`));
    expect(form[0]).toMatch(/name="csrf" value="[^"]+"/);
    expect(form[0]).toContain('name="factorCode"');
    expect(await world()).toEqual(before);
    expect(await auditSince(since)).toEqual([]);
  });

  it.each(names)("%s: the step posted with a right code does the action (one re-auth row, then the action's row)", async (_name, r) => {
    const { env } = testEnv(databaseUrl, { ADMIN_REAUTH_MINUTES: "0" });
    const { b, login, request } = await adminAndRequest(env, r);
    expect((await sendAdminRequest(b, request)).status).toBe(401);
    const since = await lastAuditId();
    const res = await sendAdminRequest(b, request, { factorCode: nextFactorCode(login) });
    expect(res.status, "the action took effect").toBeLessThan(400);
    const rows = await auditSince(since);
    expect(rows.map((row) => row.action)).toEqual(["factor.reauth", r.audit]);
    expect(rows[0].after).toMatchObject({ for: r.audit, via: "totp" });
  });

  it.each(names)("%s: within the window (5 minutes by default) it goes ahead without asking", async (_name, r) => {
    const { env } = testEnv(databaseUrl);
    const { b, request } = await adminAndRequest(env, r);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 4 * MINUTE });
    const since = await lastAuditId();
    const res = await sendAdminRequest(b, request);
    expect(res.status).toBeLessThan(400);
    expect((await auditSince(since)).map((row) => row.action)).toEqual([r.audit]);
  });

  it("past the window (6 minutes after signing in, with the default 5) disconnecting Zoho asks again", async () => {
    const { env } = testEnv(databaseUrl);
    const r = DANGEROUS.find((d) => d.audit === "zoho.disconnected")!;
    const { b, request } = await adminAndRequest(env, r);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 6 * MINUTE });
    const before = await world();
    expect((await sendAdminRequest(b, request)).status).toBe(401);
    expect(await world()).toEqual(before);
  });

  it("a wrong code is refused (audited, nothing done); five from one address make it wait, like sign-in's factor", async () => {
    const { env } = testEnv(databaseUrl, { ADMIN_REAUTH_MINUTES: "0" });
    const r = DANGEROUS.find((d) => d.audit === "zoho.disconnected")!;
    const { b, login, request } = await adminAndRequest(env, r, { address: "198.51.100.40" });
    const before = await world();
    const since = await lastAuditId();
    const wrong = await sendAdminRequest(b, request, { factorCode: "000000" === nextFactorCode(login) ? "111111" : "000000" });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("That code is not right.");
    for (let i = 0; i < 4; i++) await sendAdminRequest(b, request, { factorCode: "abcdefgh" });
    const waiting = await sendAdminRequest(b, request, { factorCode: nextFactorCode(login) });
    expect(waiting.status).toBe(429);
    expect(Number(waiting.headers.get("Retry-After"))).toBeGreaterThan(60);
    expect(await waiting.text()).toContain("Too many wrong codes.");
    expect(await world()).toEqual(before);
    const rows = await auditSince(since);
    expect(rows.map((row) => row.action)).toEqual(Array(6).fill("factor.reauth_failed"));
    expect(rows[0]).toMatchObject({ reason: "wrong", after: { for: "zoho.disconnected" } });
  });

  it("the step is CSRF-protected like every form: without the token nothing happens", async () => {
    const { env } = testEnv(databaseUrl, { ADMIN_REAUTH_MINUTES: "0" });
    const r = DANGEROUS.find((d) => d.audit === "zoho.disconnected")!;
    const { b, login, request } = await adminAndRequest(env, r);
    const before = await world();
    const res = await b.post(request.path, { ...request.fields!, factorCode: nextFactorCode(login) }, { csrf: null });
    expect(res.status).toBe(403);
    expect(await world()).toEqual(before);
  });

  const others = ADMIN_REQUESTS.filter((x) => !(x.audit in REAUTH_ACTIONS)).map((r) => [`${r.method} ${r.path} ${r.fields?.intent ?? ""}`.trim(), r] as const);
  it.each(others)("the other admin actions never ask: %s", async (_name, r) => {
    const { env } = testEnv(databaseUrl, { ADMIN_REAUTH_MINUTES: "0" });
    const values = await prepareAdminRequest(databaseUrl, env, r);
    const login = await enrolledAdmin(env, databaseUrl);
    const b = await signedInAdmin(env, login);
    await withOwnPasskeyState(b, databaseUrl, login.id, r, values);
    const since = await lastAuditId();
    expect((await sendAdminRequest(b, fill(r, values))).status).toBeLessThan(400);
    expect((await auditSince(since)).map((row) => row.action)).toEqual([r.audit]);
  });
});

describe("idle admin sessions", () => {
  it("end after ADMIN_IDLE_MINUTES without a request (30 by default); each request starts the count again", async () => {
    const { env } = testEnv(databaseUrl);
    const login = await enrolledAdmin(env, databaseUrl);
    const b = await signedInAdmin(env, login);
    const start = Date.now();
    vi.useFakeTimers({ toFake: ["Date"], now: start + 29 * MINUTE });
    expect((await b.get("/admin/customers")).status).toBe(200);
    vi.setSystemTime(start + 58 * MINUTE); // 58 minutes after signing in, 29 after the last request
    expect((await b.get("/admin/customers")).status).toBe(200);
    vi.setSystemTime(start + 90 * MINUTE); // 32 minutes without a request
    const ended = await b.get("/admin/customers?status=failed");
    expect(ended.status).toBe(302);
    expect(ended.headers.get("Location")).toBe("/login?redirectTo=%2Fadmin%2Fcustomers%3Fstatus%3Dfailed&ended=idle");
    // It stays ended (no page revives it), and the sign-in page says why.
    expect((await b.get("/admin")).status).toBe(302);
    const page = await (await b.get(ended.headers.get("Location")!)).text();
    expect(page).toContain("You were signed out after 30 minutes without activity.");
    // Signing in again goes back where the admin was.
    const password = await b.post("/login", { email: login.email, password: login.password, redirectTo: "/admin/customers?status=failed" });
    expect(password.headers.get("Location")).toBe("/login/factor");
    const factor = await b.post("/login/factor", { code: nextFactorCode(login), intent: "verify" });
    expect(factor.headers.get("Location")).toBe("/admin/customers?status=failed");
  });

  it("the idle time is configurable, and an admin API answers 401 with the reason", async () => {
    const { env } = testEnv(databaseUrl, { ADMIN_IDLE_MINUTES: "10" });
    const b = await signedInAdmin(env, await enrolledAdmin(env, databaseUrl));
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 11 * MINUTE });
    const res = await b.api("POST", "/api/admin/customers/00000000-0000-4000-8000-000000000000/zoho-sync");
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "Your admin session ended after a time without activity. Sign in again." });
  });

  it("customers' sessions have no idle timeout (14 days, as before)", async () => {
    const { env } = testEnv(databaseUrl);
    const user = await createUser(databaseUrl, { role: "customer" });
    const b = browser(env);
    expect((await b.post("/login", { email: user.email, password: user.password, redirectTo: "" })).status).toBe(302);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 3 * 60 * MINUTE });
    expect((await b.get("/account")).status).toBe(200);
  });
});
