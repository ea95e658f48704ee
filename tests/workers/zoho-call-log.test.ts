// The Zoho call log (issue 23 item 5): every call to Zoho (Books and Accounts) leaves one row with what it was
// for, the cleaned path, Zoho's answer and the customer or admin it was for; tokens, secrets and email addresses
// never reach the table; a failed write never fails the sync; admins filter it, download it and read it on a
// customer's page; the hourly maintenance prunes it.
import { describe, expect, it } from "vitest";
import { createAppServices } from "~/context.server";
import { runMaintenance } from "~/maintenance/hourly.server";
import { browser } from "./support/browser";
import { sql } from "./support/database";
import { createCustomerWithJob, loadCustomer } from "./support/factories";
import { deliver } from "./support/queue-delivery";
import { signedIn } from "./support/sign-in";
import { testEnv } from "./support/worker-env";
import { connectZoho, sandbox } from "./support/zoho-sandbox";
import { freshWorldPerTest } from "./support/fresh-world";

let databaseUrl: string;
freshWorldPerTest((url) => (databaseUrl = url));

type CallRow = { purpose: string; method: string; path: string; http_status: number | null; zoho_code: number | null; message: string | null; duration_ms: number; customer_id: string | null; admin_id: string | null };
const callRows = async () => (await sql(databaseUrl, "select * from zoho_call_log order by id")) as CallRow[];
const adminIdOf = async (email: string) => ((await sql(databaseUrl, "select id from users where email = $1", [email])) as Array<{ id: string }>)[0].id;

describe("every Zoho call leaves one row", () => {
  it("a sync's calls name the customer, with Zoho's answer and how long each took", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const { customer, job } = await createCustomerWithJob(databaseUrl);
    await sandbox().clearCalls();
    await deliver(env, [job.id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer.zohoSyncStatus).toBe("synced");
    const rows = await callRows();
    const made = await sandbox().calls();
    expect(rows).toHaveLength(made.length);
    expect(rows.every((r) => r.purpose === "sync" && r.customer_id === customer.id && r.http_status !== null && r.duration_ms >= 0)).toBe(true);
    expect(rows.map((r) => `${r.method} ${r.path.split("?")[0]}`)).toEqual(made.map((c) => `${c.method} ${c.path}`));
    expect(rows.at(-1)).toMatchObject({ method: "POST", http_status: 201, zoho_code: 0 });
  });

  it("an admin's search by email is written with the email removed from the query string, before the write", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const { customer } = await createCustomerWithJob(databaseUrl);
    const admin = await signedIn(env, databaseUrl, "admin");
    const page = await admin.get(`/admin/customers/${customer.id}?zq=${encodeURIComponent("ana.reyes@example.com")}`);
    expect(page.status).toBe(200);
    // The sandbox saw the real query (so the call was the real one)...
    const [seen] = (await sandbox().calls()).filter((c) => c.path === "/books/v3/contacts");
    expect(seen.query.email_contains).toBe("ana.reyes@example.com");
    // ...the log keeps the call without the address, for the admin and the customer it was for.
    const [row] = (await callRows()).filter((r) => r.purpose === "admin");
    expect(row.path).toMatch(/^\/books\/v3\/contacts\?/);
    expect(row.path).toContain("email_contains=[redacted]");
    expect(row.path).toContain("organization_id=");
    expect(row).toMatchObject({ method: "GET", http_status: 200, zoho_code: 0, admin_id: await adminIdOf(admin.email), customer_id: customer.id });
    const everything = JSON.stringify(await sql(databaseUrl, "select * from zoho_call_log"));
    expect(everything).not.toContain("@");
  });

  it("token calls to Zoho Accounts are written without their tokens or secrets (refresh, and the revoke's token in its query string)", async () => {
    const { env } = testEnv(databaseUrl);
    const grant = await connectZoho(env);
    const { job } = await createCustomerWithJob(databaseUrl);
    await sandbox().revokeAccessTokens();
    await deliver(env, [job.id]);
    const admin = await signedIn(env, databaseUrl, "admin");
    expect((await admin.post("/admin/zoho", { intent: "disconnect" })).status).toBe(302);
    const tokenRows = (await callRows()).filter((r) => r.purpose === "token");
    expect(tokenRows.map((r) => r.path)).toEqual(["/oauth/v2/token", "/oauth/v2/token/revoke?token=[redacted]"]);
    expect(tokenRows[1].admin_id).toBe(await adminIdOf(admin.email));
    const everything = JSON.stringify(await sql(databaseUrl, "select * from zoho_call_log"));
    for (const secret of [grant.refresh_token, grant.access_token, env.ZOHO_CLIENT_SECRET as string]) expect(everything).not.toContain(secret);
  });

  it("a call log that cannot be written never fails the sync", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const { customer, job } = await createCustomerWithJob(databaseUrl);
    await sql(databaseUrl, "alter table zoho_call_log rename to zoho_call_log_away");
    try {
      await deliver(env, [job.id]);
    } finally {
      await sql(databaseUrl, "alter table zoho_call_log_away rename to zoho_call_log");
    }
    expect((await loadCustomer(databaseUrl, customer.id)).customer.zohoSyncStatus).toBe("synced");
    expect(await callRows()).toEqual([]);
  });
});

describe("the Zoho calls page", () => {
  it("filters by purpose, answer and customer, and downloads the same as CSV", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const ok = await createCustomerWithJob(databaseUrl);
    await deliver(env, [ok.job.id]);
    const failing = await createCustomerWithJob(databaseUrl);
    await sandbox().addFault({ method: "GET", path: "/books/v3/contacts", status: 500, code: 1, message: "Zoho is down for maria@example.org" });
    await deliver(env, [failing.job.id]);
    const admin = await signedIn(env, databaseUrl, "admin");
    const all = await (await admin.get("/admin/zoho-calls")).text();
    expect(all).toContain("Zoho calls");
    expect(all).toContain("HTTP 201, code 0");
    const errors = await (await admin.get("/admin/zoho-calls?outcome=error")).text();
    expect(errors).toContain("HTTP 500, code 1");
    expect(errors).not.toContain("HTTP 201");
    // Zoho's message is kept without the address it carried.
    expect(errors).toContain("Zoho is down for [redacted]");
    const forOk = await (await admin.get(`/admin/zoho-calls?customer=${ok.customer.id}`)).text();
    expect(forOk).toContain("HTTP 201, code 0");
    expect(forOk).not.toContain("HTTP 500");
    expect(await (await admin.get("/admin/zoho-calls?purpose=invoice")).text()).toContain("No calls match these filters");
    const csv = await admin.get(`/admin/zoho-calls.csv?outcome=error`);
    expect(csv.headers.get("Content-Type")).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toBe('"id","at","purpose","method","path","http_status","zoho_code","message","duration_ms","customer_id","admin_id"');
    expect(lines.length).toBeGreaterThan(1);
    // The failed sync call, and the health probe it asked for (for no customer): both answered 500.
    expect(lines.slice(1).every((l) => l.includes('"500"'))).toBe(true);
    expect(lines.some((l) => l.includes(failing.customer.id))).toBe(true);
  });

  it("the customer's page says what Zoho said about them", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const { customer, job } = await createCustomerWithJob(databaseUrl);
    const admin = await signedIn(env, databaseUrl, "admin");
    expect(await (await admin.get(`/admin/customers/${customer.id}`)).text()).toContain("No Zoho call was made for this customer yet.");
    await deliver(env, [job.id]);
    const page = await (await admin.get(`/admin/customers/${customer.id}`)).text();
    expect(page).toMatch(/What Zoho said[\s\S]*POST \/books\/v3\/contacts/);
  });

  it("an empty log says so; customers get 403 and anonymous visitors are sent to sign in", async () => {
    const { env } = testEnv(databaseUrl);
    const admin = await signedIn(env, databaseUrl, "admin");
    expect(await (await admin.get("/admin/zoho-calls")).text()).toContain("No Zoho calls yet");
    const customer = await signedIn(env, databaseUrl, "customer");
    for (const path of ["/admin/zoho-calls", "/admin/zoho-calls.csv"]) {
      expect((await customer.get(path)).status, path).toBe(403);
      const anon = await browser(env).get(path);
      expect(anon.status, path).toBe(302);
      expect(anon.headers.get("Location"), path).toMatch(/^\/login\?redirectTo=/);
    }
  });
});

describe("retention", () => {
  it("the hourly maintenance deletes calls older than ZOHO_CALL_LOG_RETENTION_DAYS and keeps the rest", async () => {
    const insert = async (ageDays: number) =>
      ((await sql(databaseUrl, "insert into zoho_call_log (purpose, method, path, duration_ms, at) values ('sync', 'GET', '/books/v3/contacts', 5, now() - make_interval(days => $1::int)) returning id", [ageDays])) as Array<{ id: string }>)[0].id;
    await insert(20);
    const recent = await insert(5);
    const { env } = testEnv(databaseUrl, { ZOHO_CALL_LOG_RETENTION_DAYS: "7" });
    const app = createAppServices(env);
    try {
      await runMaintenance(app);
    } finally {
      await app.close();
    }
    expect(((await sql(databaseUrl, "select id from zoho_call_log")) as Array<{ id: string }>).map((r) => r.id)).toEqual([recent]);
  });
});
