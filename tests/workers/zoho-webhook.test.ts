// Zoho's webhook on contact changes (issue 20 item 4): authenticated by a secret in the URL or a header (constant
// time; bad or missing 401), oversized or malformed 400, exempt from CSRF like the cron route, and a hint only: the
// mirror re-reads the contact it names (a 404 marks it deleted) and never trusts the payload.
import { describe, expect, it } from "vitest";
import type { WorkerEnv } from "~/context.server";
import { browser } from "./support/browser";
import { sql } from "./support/database";
import { completeMirror } from "./support/mirror-world";
import { testEnv } from "./support/worker-env";
import { connectZoho, sandbox } from "./support/zoho-sandbox";
import { freshWorldPerTest } from "./support/fresh-world";

let databaseUrl: string;
freshWorldPerTest((url) => (databaseUrl = url));

const SECRET = "webhook-secret-0123456789";
const webhookEnv = () => testEnv(databaseUrl, { MIRROR_FULL_READ_DAILY_CALLS: "100", ZOHO_WEBHOOK_SECRET: SECRET }).env;
const booksCalls = async () => (await sandbox().calls()).filter((c) => c.path.startsWith("/books/v3/"));
type Row = { email: string; status: string; deleted: boolean };
const mirrored = async (id: string) => ((await sql(databaseUrl, "select email, status, deleted_at is not null as deleted from zoho_mirror_contacts where contact_id = $1", [id])) as Row[])[0];
const refreshedAt = async () => ((await sql(databaseUrl, "select contacts_refreshed_at as at from zoho_mirror_state")) as Array<{ at: Date | null }>)[0].at;


const post = (env: WorkerEnv, path: string, body: string, headers: Record<string, string> = {}) =>
  browser(env).request(path, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });

describe("POST /api/zoho/webhook", () => {
  it("a wrong or missing secret is refused with 401 and changes nothing; no Zoho call", async () => {
    const env = webhookEnv();
    await connectZoho(env);
    await completeMirror(env);
    const ana = (await sandbox().listContacts()).find((c) => c.contact_name === "Ana Reyes")!;
    await sandbox().editContact(ana.contact_id, { email: "changed@elsewhere.example" });
    const before = await refreshedAt();
    await sandbox().clearCalls();
    const body = JSON.stringify({ contact: { contact_id: ana.contact_id } });
    for (const [path, headers] of [
      ["/api/zoho/webhook", {}],
      [`/api/zoho/webhook?secret=${SECRET.slice(0, -1)}x`, {}],
      ["/api/zoho/webhook", { "X-Webhook-Secret": `${SECRET}0` }],
    ] as Array<[string, Record<string, string>]>)
      expect((await post(env, path, body, headers)).status, path).toBe(401);
    expect(await booksCalls()).toEqual([]);
    expect(await mirrored(ana.contact_id)).toMatchObject({ email: "ana.reyes@example.com" });
    expect(await refreshedAt()).toEqual(before);
    // Without ZOHO_WEBHOOK_SECRET configured, nothing is accepted.
    const unset = testEnv(databaseUrl, { MIRROR_FULL_READ_DAILY_CALLS: "100" }).env;
    expect((await post(unset, "/api/zoho/webhook", body, { "X-Webhook-Secret": SECRET })).status).toBe(401);
  });

  it("oversized or malformed deliveries are refused with 400", async () => {
    const env = webhookEnv();
    const url = `/api/zoho/webhook?secret=${SECRET}`;
    expect((await post(env, url, "{not json")).status).toBe(400);
    expect((await post(env, url, JSON.stringify({ contact: { contact_id: "1; drop table" } }))).status).toBe(400);
    expect((await post(env, url, JSON.stringify({ contact_id: "1", pad: "x".repeat(70 * 1024) }))).status).toBe(400);
    expect(await booksCalls()).toEqual([]);
  });

  it("a delivery is a hint: the contact is re-read from Zoho (not taken from the payload), a deleted one marked; replays are harmless", async () => {
    const env = webhookEnv();
    await connectZoho(env);
    await completeMirror(env);
    const contacts = await sandbox().listContacts();
    const ana = contacts.find((c) => c.contact_name === "Ana Reyes")!;
    const juan = contacts.find((c) => c.contact_name === "Juan Dela Cruz")!;
    await sandbox().editContact(ana.contact_id, { email: "Ana.New@Shoppers.example", status: "inactive" });
    await sandbox().deleteContact(juan.contact_id);
    await sandbox().clearCalls();

    // The payload lies about the email: the mirror keeps what Zoho answers. No CSRF token, no session: accepted.
    const lie = JSON.stringify({ contact: { contact_id: ana.contact_id, email: "attacker@evil.example", status: "active" } });
    for (let i = 0; i < 2; i++) expect((await post(env, "/api/zoho/webhook", lie, { "X-Webhook-Secret": SECRET })).status).toBe(200);
    expect(await mirrored(ana.contact_id)).toEqual({ email: "ana.new@shoppers.example", status: "inactive", deleted: false });
    const gone = await post(env, `/api/zoho/webhook?secret=${SECRET}`, JSON.stringify({ contact_id: Number(juan.contact_id) }));
    expect(await gone.json()).toMatchObject({ ok: true, outcome: "deleted" });
    expect(await mirrored(juan.contact_id)).toMatchObject({ deleted: true });
    expect((await booksCalls()).map((c) => `${c.method} ${c.path}`)).toEqual([
      `GET /books/v3/contacts/${ana.contact_id}`,
      `GET /books/v3/contacts/${ana.contact_id}`,
      `GET /books/v3/contacts/${juan.contact_id}`,
    ]);
    // The copy is marked stale: the next sync decision refreshes it first (while the budget has room).
    expect(await refreshedAt()).toBeNull();
    const [ledger] = (await sql(databaseUrl, "select mirror, sync from zoho_api_ledger")) as Array<{ mirror: number; sync: number }>;
    expect(ledger.sync).toBe(0);
  });

  it("a 404 that is not Zoho's \"does not exist\" (an Invalid URL, another code) marks nothing deleted (decision 043)", async () => {
    const env = webhookEnv();
    await connectZoho(env);
    await completeMirror(env);
    const ana = (await sandbox().listContacts()).find((c) => c.contact_name === "Ana Reyes")!;
    // Another code first: the Invalid URL marks the connection for a reconnect (no call after it).
    for (const [code, message] of [[1, "Not Found"], [5, "Invalid URL Passed"]] as const) {
      await sandbox().clearFaults();
      await sandbox().addFault({ method: "GET", path: `/books/v3/contacts/${ana.contact_id}`, status: 404, code, message });
      const delivery = await post(env, "/api/zoho/webhook", JSON.stringify({ contact_id: ana.contact_id }), { "X-Webhook-Secret": SECRET });
      expect(await delivery.json(), message).toMatchObject({ ok: true, outcome: "marked_stale" });
      expect(await mirrored(ana.contact_id), message).toMatchObject({ deleted: false });
    }
  });
});
