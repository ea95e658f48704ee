// Zoho Books as its documents describe it (issue 22, item 6), through the real client, consumer and sandbox:
// the concurrent-call limit held for every caller together, "Invalid URL" as a misconfiguration, inactive
// contacts and over-long emails sent to review, the upsert meeting a forbidden duplicate name, and a replayed
// upsert that creates no second contact even when Zoho does not write the unique value back.
import { describe, expect, it } from "vitest";
import { openDb } from "~/db/client.server";
import { parseEnv } from "~/env.server";
import { ZohoClient } from "~/zoho/client.server";
import { ZohoError } from "~/zoho/errors";
import { reserveCalls } from "~/zoho/ledger.server";
import { resetDatabase, sql } from "./support/database";
import { createCustomerWithJob, loadCustomer } from "./support/factories";
import { expireLease } from "./support/jobs";
import { crashAfterZohoWrite, deliver } from "./support/queue-delivery";
import { bindings, testEnv } from "./support/worker-env";
import { connectZoho, contactsWithEmail, sandbox } from "./support/zoho-sandbox";
import { freshWorldPerTest } from "./support/fresh-world";

let databaseUrl: string;
freshWorldPerTest((url) => (databaseUrl = url));

const ledgerTotal = async () => Number(((await sql(databaseUrl, "select coalesce(sum(total), 0)::int as n from zoho_api_ledger")) as Array<{ n: number }>)[0].n);

describe("Zoho's concurrent-call limit, held for every caller together", () => {
  it("sync, order history and admin searches at once never have more than ZOHO_MAX_CONCURRENT_CALLS calls in flight", async () => {
    const { env } = testEnv(databaseUrl, { ZOHO_MAX_CONCURRENT_CALLS: "2" });
    await connectZoho(env);
    const handle = openDb(databaseUrl, bindings.TEST_DATABASE_WS_PROXY);
    const parsed = parseEnv(env);
    const client = (purpose: "sync" | "invoice" | "admin") => new ZohoClient({ db: handle.db, env: parsed, purpose });
    await sandbox().addFault({ path: "/books/v3/contacts", latencyMs: 250, count: 6 });
    await sandbox().addFault({ path: "/books/v3/invoices", latencyMs: 250, count: 3 });
    const results = await Promise.allSettled([
      ...Array.from({ length: 3 }, () => client("sync").listContacts({ email: "ana.reyes@example.com" })),
      ...Array.from({ length: 3 }, () => client("admin").listContacts({ contactNameContains: "Reyes" })),
      ...Array.from({ length: 3 }, () => client("invoice").listInvoices("1")),
    ]);
    await handle.close();
    expect(results.map((r) => r.status)).toEqual(Array(9).fill("fulfilled"));
    // Zoho saw at most two of our calls at once (it would have taken all nine), and never answered 1070.
    expect((await sandbox().state()).maxInFlight).toBe(2);
    expect((await sandbox().calls()).filter((c) => c.status === 429)).toEqual([]);
    expect(await ledgerTotal()).toBe(9);
  });

  it("no free slot: the call is neither sent nor counted, a sync job waits seconds without spending an attempt, and a dead holder's slot frees itself", async () => {
    const { env } = testEnv(databaseUrl, { ZOHO_MAX_CONCURRENT_CALLS: "2" });
    await connectZoho(env);
    // Two calls of another isolate in flight for the next minute.
    await sql(databaseUrl, "insert into zoho_call_slots (slot, held_until, holder) select s, now() + interval '1 minute', gen_random_uuid() from generate_series(1, 2) s");
    const handle = openDb(databaseUrl, bindings.TEST_DATABASE_WS_PROXY);
    const zoho = new ZohoClient({ db: handle.db, env: parseEnv(env), purpose: "admin" });
    await sandbox().clearCalls();
    const error = await zoho.listContacts({ email: "ana.reyes@example.com" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZohoError);
    expect(error).toMatchObject({ kind: "concurrency_limited", details: { local: true } });
    expect(await sandbox().calls()).toEqual([]);
    expect(await ledgerTotal()).toBe(0);

    const { customer, job } = await createCustomerWithJob(databaseUrl, { verified: true });
    const before = Date.now();
    await deliver(env, [job.id]);
    const { customer: waiting, jobs } = await loadCustomer(databaseUrl, customer.id);
    expect(waiting).toMatchObject({ zohoSyncStatus: "pending", zohoSyncAttempts: 0, zohoSyncError: "Waiting: Zoho is busy with other requests for the organisation; retrying in a few seconds" });
    expect(jobs[0].scheduledFor.getTime() - before).toBeLessThan(60_000);
    // Not an outage: sync is not paused.
    expect(await sql(databaseUrl, "select count(*)::int as n from zoho_sync_health where paused or jsonb_array_length(streak_jobs) > 0")).toEqual([{ n: 0 }]);

    // The holder died: its slots expire (timeout + margin) and calls go through again.
    await sql(databaseUrl, "update zoho_call_slots set held_until = now() - interval '1 second'");
    expect((await zoho.listContacts({ email: "ana.reyes@example.com" })).items).toHaveLength(1);
    await handle.close();
  });
});

describe("Zoho's answers the product must read right", () => {
  it("a 404 with Zoho's 'Invalid URL' code pauses sync as a misconfiguration: the customer waits, the connection says why", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    await sandbox().addFault({ path: "/books/v3/contacts", status: 404, code: 5, message: "Invalid URL Passed", count: 5 });
    const { customer, job } = await createCustomerWithJob(databaseUrl, { verified: true });
    await deliver(env, [job.id]);
    const { customer: after } = await loadCustomer(databaseUrl, customer.id);
    expect(after.zohoSyncStatus).toBe("pending");
    expect(after.zohoSyncAttempts).toBe(0);
    const [connection] = (await sql(databaseUrl, "select status, last_error from zoho_tokens")) as Array<{ status: string; last_error: string }>;
    expect(connection.status).toBe("reconnect_needed");
    expect(connection.last_error).toMatch(/Invalid URL.*check ZOHO_ACCOUNTS_URL and reconnect/);
  });

  it("an inactive contact with the customer's verified email is never linked automatically: review, and no second contact", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    // Inactive Ines (tools/zoho-sandbox/seed.ts), returning and new alike.
    const returning = await createCustomerWithJob(databaseUrl, { returning: true, verified: true, email: "ines.villa@example.com", firstName: "Ines", lastName: "Villa" });
    await deliver(env, [returning.job.id]);
    const first = (await loadCustomer(databaseUrl, returning.customer.id)).customer;
    expect(first).toMatchObject({ zohoSyncStatus: "skipped", zohoReviewReason: "inactive_contact", zohoContactId: null });
    expect(first.zohoSyncError).toMatch(/Inactive Ines matches but is inactive in Zoho Books/);
    expect(first.zohoSyncCandidates?.map((c) => c.contactName)).toEqual(["Inactive Ines"]);

    await resetDatabase(databaseUrl);
    await connectZoho(env);
    const fresh = await createCustomerWithJob(databaseUrl, { verified: true, email: "ines.villa@example.com", firstName: "Ines", lastName: "Villa" });
    await deliver(env, [fresh.job.id]);
    expect((await loadCustomer(databaseUrl, fresh.customer.id)).customer).toMatchObject({ zohoSyncStatus: "skipped", zohoReviewReason: "inactive_contact", zohoContactId: null });
    expect(await contactsWithEmail("ines.villa@example.com")).toHaveLength(1);
  });

  it("an email longer than Zoho's 100 characters never leads to a blind create: review, without a Zoho call", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const email = `${"a".repeat(64)}@${"long-subdomain.".repeat(3)}example.com`;
    expect(email.length).toBeGreaterThan(100);
    const { customer, job } = await createCustomerWithJob(databaseUrl, { verified: true, email });
    await sandbox().clearCalls();
    await deliver(env, [job.id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer).toMatchObject({ zohoSyncStatus: "skipped", zohoReviewReason: "email_too_long", zohoContactId: null });
    expect(await sandbox().calls()).toEqual([]);
    expect(await contactsWithEmail(email)).toEqual([]);
  });
});

describe("the budget day", () => {
  it("the ledger counts calls in the day of ZOHO_DAY_TIMEZONE: UTC by default, the configured zone's date otherwise", async () => {
    const handle = openDb(databaseUrl, bindings.TEST_DATABASE_WS_PROXY);
    const at = new Date("2026-12-02T16:30:00Z"); // 00:30 on 3 December in Manila (UTC+8)
    await reserveCalls(handle.db, parseEnv(testEnv(databaseUrl).env), "sync", 1, at);
    await reserveCalls(handle.db, parseEnv(testEnv(databaseUrl, { ZOHO_DAY_TIMEZONE: "Asia/Manila" }).env), "sync", 2, at);
    await handle.close();
    expect(await sql(databaseUrl, "select day::text as day, sync from zoho_api_ledger order by day")).toEqual([
      { day: "2026-12-02", sync: 1 },
      { day: "2026-12-03", sync: 2 },
    ]);
  });
});

describe("the upsert path (ZOHO_UNIQUE_FIELD)", () => {
  it("an upsert that meets a forbidden duplicate name creates under a name made unique by the email, like the plain create", async () => {
    const { env } = testEnv(databaseUrl, { ZOHO_UNIQUE_FIELD: "cf_portal_customer_id" });
    await connectZoho(env);
    await sandbox().settings({ allowDuplicateNames: false });
    const { customer, job } = await createCustomerWithJob(databaseUrl, { firstName: "Juan", lastName: "Dela Cruz" });
    await deliver(env, [job.id]);
    const after = (await loadCustomer(databaseUrl, customer.id)).customer;
    expect(after).toMatchObject({ zohoSyncStatus: "synced", zohoMatchType: "upsert", zohoContactName: `Juan Dela Cruz (${customer.email})` });
    const [made] = await contactsWithEmail(customer.email);
    expect(made.contact_id).toBe(after.zohoContactId);
    expect(made.custom_fields?.find((f: { api_name?: string }) => f.api_name === "cf_portal_customer_id")).toMatchObject({ value: customer.id });
  });

  it.each([true, false])(
    "a crash after the upsert created the contact: the replay makes no second contact (Zoho writes the unique value back: %s)",
    async (writesBack) => {
      const { env } = testEnv(databaseUrl, { ZOHO_UNIQUE_FIELD: "cf_portal_customer_id" });
      await connectZoho(env);
      // Whether Zoho's upsert stores X-Unique-Identifier-Value on the contact it creates is unverified (docs/zoho-facts.md).
      await sandbox().settings({ upsertWritesUniqueValue: writesBack });
      const { customer, job } = await createCustomerWithJob(databaseUrl, { verified: true });
      expect((await crashAfterZohoWrite(env, job.id, "killed between the Zoho upsert and the database write")).retryMessages).toHaveLength(1);
      expect(await contactsWithEmail(customer.email)).toHaveLength(1);

      await expireLease(databaseUrl, job.id);
      await deliver(env, [job.id]);
      const after = (await loadCustomer(databaseUrl, customer.id)).customer;
      const contacts = await contactsWithEmail(customer.email);
      expect(contacts).toHaveLength(1);
      expect(after).toMatchObject({ zohoSyncStatus: "synced", zohoContactId: contacts[0].contact_id });
      // Found through the unique value when Zoho wrote it back, through the email when it did not.
      expect(after.zohoMatchType).toBe(writesBack ? "upsert" : "adopted");
    },
  );
});
