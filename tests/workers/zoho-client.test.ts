// The Zoho client against the running sandbox: every method, every error class, the ledger under
// concurrency and one token refresh across concurrent callers.
import { describe, expect, it } from "vitest";
import { openDb } from "~/db/client.server";
import { parseEnv } from "~/env.server";
import { ZohoClient } from "~/zoho/client.server";
import { ZohoError } from "~/zoho/errors";
import { reserveCalls, reserveMinute } from "~/zoho/ledger.server";
import { getAccessToken } from "~/zoho/tokens.server";
import { findMatchingContact } from "~/sync/find-contact.server";
import { sql } from "./support/database";
import { bindings, testEnv } from "./support/worker-env";
import { connectZoho, sandbox } from "./support/zoho-sandbox";
import { freshWorldPerTest } from "./support/fresh-world";

let databaseUrl: string;
freshWorldPerTest((url) => (databaseUrl = url));

async function client(overrides: Record<string, string> = {}, purpose: "sync" | "invoice" | "admin" = "sync") {
  const { env } = testEnv(databaseUrl, overrides);
  await connectZoho(env);
  const handle = openDb(databaseUrl, bindings.TEST_DATABASE_WS_PROXY);
  return { zoho: new ZohoClient({ db: handle.db, env: parseEnv(env), purpose, timeoutMs: 1500 }), db: handle.db, env: parseEnv(env), close: handle.close };
}

async function kindOf(p: Promise<unknown>) {
  try {
    await p;
    return "ok";
  } catch (error) {
    if (error instanceof ZohoError) return error.kind;
    throw error;
  }
}

describe("client methods", () => {
  it("lists contacts by the primary person's exact email, by part of it, and by name, with pagination", async () => {
    const { zoho, close } = await client();
    expect((await zoho.listContacts({ email: "santos@example.com" })).items.map((c) => c.contact_name)).toEqual(["R. Santos"]);
    expect((await zoho.listContacts({ email: "carla.lopez@example.com" })).items).toEqual([]); // a secondary person's email
    const contains = await zoho.listContacts({ emailContains: "santos@example.com" });
    expect(contains.items.map((c) => c.email).sort()).toEqual(["ben.santos@example.com", "maria.santos@example.com", "santos@example.com"]);
    const juan = await zoho.listContacts({ contactName: "juan dela cruz" });
    expect(juan.items).toHaveLength(1);
    const page1 = await zoho.listContacts({ contactNameContains: "a", perPage: 3 });
    expect(page1).toMatchObject({ page: 1, hasMore: true });
    expect(page1.items).toHaveLength(3);
    expect(zoho.calls).toBe(5);
    await close();
  });

  it("gets a contact and its contact persons, creates one, and upserts by a unique custom field", async () => {
    const { zoho, close } = await client();
    const [lopez] = (await zoho.listContacts({ contactName: "Lopez Trading" })).items;
    const full = await zoho.getContact(lopez.contact_id);
    expect(full.contact_persons?.map((p) => p.email)).toContain("carla.lopez@example.com");
    const persons = await zoho.listContactPersons(lopez.contact_id);
    expect(persons.items.map((p) => p.email)).toEqual(["office@lopeztrading.example", "carla.lopez@example.com"]);
    const created = await zoho.createContact({
      contact_name: "Client Test",
      contact_type: "customer",
      customer_sub_type: "individual",
      contact_persons: [{ first_name: "Client", last_name: "Test", email: "client.test@example.com", is_primary_contact: true }],
    });
    expect(created.contact_name).toBe("Client Test");
    const payload = { contact_name: "Upsert Person", contact_type: "customer" as const, customer_sub_type: "individual" as const, contact_persons: [{ first_name: "Upsert", last_name: "Person", email: "u@example.com", is_primary_contact: true as const }] };
    const first = await zoho.upsertContact("cf_portal_customer_id", "cust-1", payload);
    const again = await zoho.upsertContact("cf_portal_customer_id", "cust-1", { ...payload, contact_name: "Upsert Person Renamed" });
    expect(again.contact_id).toBe(first.contact_id);
    expect(again.contact_name).toBe("Upsert Person Renamed");
    await close();
  });

  it("lists a customer's invoices newest first, 25 a page", async () => {
    const { zoho, close } = await client({}, "invoice");
    const [ana] = (await zoho.listContacts({ email: "ana.reyes@example.com" })).items;
    const page = await zoho.listInvoices(ana.contact_id, 1, 25);
    expect(page.items).toHaveLength(25);
    expect(page.hasMore).toBe(true);
    expect(page.items[0].date >= page.items[1].date).toBe(true);
    expect(typeof page.items[0].total).toBe("number"); // Zoho's document types amounts as strings
    await close();
  });

  it("every request the client can send passes Zoho's contract, and every answer fits Zoho's response schema", async () => {
    const { zoho, close } = await client();
    await sandbox().clearCalls();
    const filters = [{ email: "ana.reyes@example.com" }, { emailContains: "reyes" }, { emailStartsWith: "ana" }, { contactName: "Ana Reyes" }, { contactNameContains: "Rey" }, { contactNameStartsWith: "An" }, { searchText: "Reyes", page: 2, perPage: 200 }];
    for (const f of filters) await zoho.listContacts(f);
    const [ana] = (await zoho.listContacts({ email: "ana.reyes@example.com" })).items;
    await zoho.getContact(ana.contact_id);
    await zoho.listContactPersons(ana.contact_id);
    await zoho.listInvoices(ana.contact_id, 2, 25);
    const contact = { contact_name: "Contract Check", contact_type: "customer" as const, customer_sub_type: "individual" as const, contact_persons: [{ first_name: "Contract", last_name: "Check", email: "contract@example.com", mobile: "+639170000000", phone: "+6321234567", is_primary_contact: true as const }] };
    await zoho.createContact(contact);
    await zoho.upsertContact("cf_portal_customer_id", "contract-1", { ...contact, contact_name: "Contract Check 2" });
    await zoho.upsertContact("cf_portal_customer_id", "contract-1", { ...contact, contact_name: "Contract Check 3" });
    const calls = await sandbox().calls();
    expect(calls.filter((c) => c.status >= 400)).toEqual([]);
    expect(new Set(calls.map((c) => `${c.method} ${c.path.replace(/\/\d+/g, "/{id}")}`))).toEqual(
      new Set(["GET /books/v3/contacts", "GET /books/v3/contacts/{id}", "GET /books/v3/contacts/{id}/contactpersons", "GET /books/v3/invoices", "POST /books/v3/contacts", "PUT /books/v3/contacts"]),
    );
    expect((await sandbox().state()).schemaDrift).toEqual([]);
    await close();
  });

  it.each([
    ["one email match", { email: "ana.reyes@example.com", firstName: "X", lastName: "Y" }, { kind: "one", by: "email" }],
    ["email stored with capitals in Zoho", { email: "rosa.lim@example.com", firstName: "Rosa", lastName: "Lim" }, { kind: "one", by: "email" }],
    ["email on a secondary contact person, found through the surname", { email: "carla.lopez@example.com", firstName: "Carla", lastName: "Lopez" }, { kind: "one", by: "email" }],
    ["shared email", { email: "shared@example.com", firstName: "X", lastName: "Y" }, { kind: "many", by: "email" }],
    ["name only", { email: "nobody@x.example", firstName: "Juan", lastName: "Dela Cruz" }, { kind: "one", by: "name" }],
    ["ambiguous name", { email: "nobody@x.example", firstName: "Pedro", lastName: "Garcia" }, { kind: "many", by: "name" }],
    ["nothing", { email: "nobody@x.example", firstName: "No", lastName: "Body" }, { kind: "none" }],
  ])("findMatchingContact: %s", async (_label, input, expected) => {
    const { zoho, close } = await client();
    expect(await findMatchingContact(zoho, input)).toMatchObject(expected);
    expect(zoho.calls).toBeLessThanOrEqual(6); // 1 by email, at most 2 by surname, at most 3 contact persons
    await close();
  });
});

describe("error classes", () => {
  it.each([
    [{ status: 500, code: 1 }, "transient"],
    [{ status: 503, code: 1 }, "transient"],
    [{ status: 429, code: 44 }, "rate_limited"],
    [{ status: 429, code: 45, message: "maximum number of API calls allowed per day" }, "daily_limit"],
    [{ status: 400, code: 2, message: "Invalid value passed for contact_name" }, "invalid_request"],
    [{ status: 400, code: 2, message: "Invalid value passed for page" }, "transient"],
    [{ status: 400, code: 36021, message: "a code nobody documented" }, "transient"],
    // Zoho answers too many calls in flight with HTTP 429 like the per-minute limit; code 1070 tells them apart.
    [{ status: 429, code: 1070, message: "You have reached the maximum number of in process requests allowed.", count: 2 }, "concurrency_limited"],
    [{ status: 404, code: 5, message: "Invalid URL Passed" }, "reconnect_needed"],
    [{ body200: true, code: 9999, message: "odd" }, "transient"],
    [{ timeout: true }, "transient"],
  ])("a fault %j is classified as %s", async (fault, kind) => {
    const { zoho, close } = await client();
    await sandbox().addFault({ path: "/books/v3/contacts", count: 1, ...fault });
    expect(await kindOf(zoho.listContacts({ email: "a@b.co" }))).toBe(kind);
    await close();
  });

  it("not found and duplicate names are classified from Zoho's codes", async () => {
    const { zoho, close } = await client();
    expect(await kindOf(zoho.getContact("123"))).toBe("not_found");
    await sandbox().settings({ allowDuplicateNames: false });
    const dup = { contact_name: "Juan Dela Cruz", contact_type: "customer" as const, customer_sub_type: "individual" as const, contact_persons: [] };
    expect(await kindOf(zoho.createContact(dup))).toBe("duplicate_name");
    await close();
  });

  it("a revoked connection is 'reconnect needed' and marks the connection", async () => {
    const { zoho, close } = await client();
    await sandbox().revokeAllTokens();
    expect(await kindOf(zoho.listContacts({ email: "a@b.co" }))).toBe("reconnect_needed");
    expect(((await sql(databaseUrl, "select status from zoho_tokens")) as Array<{ status: string }>)[0].status).toBe("reconnect_needed");
    await close();
  });

  it("Zoho's 1070 once is waited out in moments and the call succeeds", async () => {
    const { zoho, close } = await client();
    await sandbox().addFault({ path: "/books/v3/contacts", status: 429, code: 1070, message: "maximum number of in process requests", count: 1 });
    expect(await kindOf(zoho.listContacts({ email: "ana.reyes@example.com" }))).toBe("ok");
    expect(zoho.calls).toBe(2);
    await close();
  });

  it("a 401 + 57 for an access token Zoho revoked mid-day is refreshed once and the call succeeds", async () => {
    const { zoho, close } = await client();
    await sandbox().revokeAccessTokens(); // our row still believes the token is good for most of an hour
    const before = (await sandbox().state()).tokenRequests;
    expect(await kindOf(zoho.listContacts({ email: "ana.reyes@example.com" }))).toBe("ok");
    expect((await sandbox().state()).tokenRequests - before).toBe(1);
    expect(((await sql(databaseUrl, "select status from zoho_tokens")) as Array<{ status: string }>)[0].status).toBe("connected");
    await close();
  });

  it("refused again after a refresh: 'reconnect or missing permission' with what Zoho said, and the connection is marked", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env, "ZohoBooks.contacts.READ"); // no invoices.READ
    const handle = openDb(databaseUrl, bindings.TEST_DATABASE_WS_PROXY);
    const zoho = new ZohoClient({ db: handle.db, env: parseEnv(env), purpose: "invoice" });
    const error = await zoho.listInvoices("1").catch((e: unknown) => e as ZohoError);
    expect(error).toMatchObject({ kind: "reconnect_needed" });
    expect((error as ZohoError).message).toMatch(/reconnect Zoho Books or grant the missing permission.*You are not authorized to perform this operation.*code 57/);
    expect(zoho.calls).toBe(2);
    const [row] = (await sql(databaseUrl, "select status, last_error from zoho_tokens")) as Array<{ status: string; last_error: string }>;
    expect(row.status).toBe("reconnect_needed");
    expect(row.last_error).toContain("You are not authorized");
    await handle.close();
  });

  it("a wrong organization_id is Zoho's 6041: reconnect needed, naming the setting, without a token refresh", async () => {
    const { zoho, close } = await client({ ZOHO_ORGANIZATION_ID: "999" });
    await sql(databaseUrl, "update zoho_tokens set organization_id = '999'");
    const before = (await sandbox().state()).tokenRequests;
    const error = await zoho.listContacts({ email: "a@b.co" }).catch((e: unknown) => e as ZohoError);
    expect(error).toMatchObject({ kind: "reconnect_needed", message: expect.stringContaining("ZOHO_ORGANIZATION_ID") });
    expect((await sandbox().state()).tokenRequests).toBe(before);
    await close();
  });

  it("an access token Zoho stops accepting early is refreshed once and the call succeeds", async () => {
    const { zoho, close } = await client();
    await sql(databaseUrl, "update zoho_tokens set access_token_enc = (select access_token_enc from zoho_tokens)"); // unchanged row
    await sandbox().advanceClock(3600_000 + 1000); // the sandbox expires the token; our row still thinks it is valid
    await sql(databaseUrl, "update zoho_tokens set access_token_expires_at = now() + interval '30 minutes'");
    expect(await kindOf(zoho.listContacts({ email: "ana.reyes@example.com" }))).toBe("ok");
    await close();
  });

  it("no connection at all is 'not connected' and costs no call", async () => {
    const { env } = testEnv(databaseUrl);
    const handle = openDb(databaseUrl, bindings.TEST_DATABASE_WS_PROXY);
    const zoho = new ZohoClient({ db: handle.db, env: parseEnv(env), purpose: "sync" });
    expect(await kindOf(zoho.listContacts({ email: "a@b.co" }))).toBe("not_connected");
    expect(zoho.calls).toBe(0);
    await handle.close();
  });
});

describe("ledger and tokens under concurrency", () => {
  it("parallel callers never spend more than the daily cap, and refused calls are never sent", async () => {
    const { db, env, close } = await client({ ZOHO_DAILY_CALL_LIMIT: "30", ZOHO_ORDERS_DAILY_SHARE: "5", ZOHO_ADMIN_DAILY_SHARE: "5" });
    const results = await Promise.allSettled(Array.from({ length: 40 }, () => reserveCalls(db, env, "sync")));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(20);
    const [row] = (await sql(databaseUrl, "select total, sync, refused from zoho_api_ledger")) as Array<Record<string, number>>;
    expect(row).toEqual({ total: 20, sync: 20, refused: 20 });
    // Order history still has its own share.
    await reserveCalls(db, env, "invoice");
    await sandbox().clearCalls();
    const zoho = new ZohoClient({ db, env, purpose: "sync" });
    expect(await kindOf(zoho.listContacts({ email: "a@b.co" }))).toBe("daily_limit");
    expect(await sandbox().calls()).toHaveLength(0);
    await close();
  });

  it("the per-minute pace stops sync calls locally before Zoho's limit", async () => {
    const { db, env, close } = await client({ ZOHO_CALLS_PER_MINUTE: "5" });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => reserveCalls(db, env, "sync")));
    const refused = results.filter((r) => r.status === "rejected").map((r) => ((r as PromiseRejectedResult).reason as ZohoError).kind);
    expect(refused).toEqual(["rate_limited", "rate_limited", "rate_limited"]);
    await close();
  });

  it("the previous minute's calls still count toward Zoho's 100 while a rolling minute covers them", async () => {
    const { db, env, close } = await client({ ZOHO_CALLS_PER_MINUTE: "80" });
    // 90 calls in 10:00; at 10:01:06 a rolling minute still covers 90 % of them (81): room for 19 more.
    await sql(databaseUrl, "insert into zoho_api_minutes (minute, calls) values ('2026-01-01T10:00:00Z', 90)");
    const early = new Date("2026-01-01T10:01:06Z");
    await reserveMinute(db, env, "sync", 19, early);
    await expect(reserveMinute(db, env, "sync", 1, early)).rejects.toMatchObject({ kind: "rate_limited" });
    // Half a minute later half of them are out of the window: room again, up to this minute's own pace of 80.
    const later = new Date("2026-01-01T10:01:30Z");
    await reserveMinute(db, env, "sync", 20, later);
    await expect(reserveMinute(db, env, "sync", 20, later)).rejects.toMatchObject({ kind: "rate_limited" });
    const [row] = (await sql(databaseUrl, "select calls from zoho_api_minutes where minute = '2026-01-01T10:01:00Z'")) as Array<{ calls: number }>;
    expect(row.calls).toBe(39);
    await close();
  });

  it("concurrent requests with an expired access token cause exactly one refresh", async () => {
    const { db, env, close } = await client();
    await sql(databaseUrl, "update zoho_tokens set access_token_expires_at = now() - interval '1 minute'");
    const before = Number((await sandbox().state()).tokenRequests);
    const tokens = await Promise.all(Array.from({ length: 6 }, () => getAccessToken(db, env)));
    expect(new Set(tokens.map((t) => t.token)).size).toBe(1);
    expect(Number((await sandbox().state()).tokenRequests) - before).toBe(1);
    const [row] = (await sql(databaseUrl, "select token_refreshes from zoho_api_ledger")) as Array<{ token_refreshes: number }>;
    expect(row.token_refreshes).toBe(1);
    await close();
  });
});
