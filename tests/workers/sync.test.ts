// The sync engine through the real Worker's queue() and scheduled() handlers, against the sandbox.
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createAppServices } from "~/context.server";
import { freshDatabase, resetDatabase, sql } from "./support/database";
import { createCustomerWithJob, createUser, loadCustomer } from "./support/factories";
import { crashAfterZohoWrite, deliver, runCron } from "./support/queue-delivery";
import { bindings, testEnv } from "./support/worker-env";
import { connectZoho, contactsWithEmail, sandbox } from "./support/zoho-sandbox";
import { expireLease, makeJobDue, reopenJob, scheduleJobIn, setJobPriority } from "./support/jobs";
import { dashboard } from "~/admin/dashboard.server";
import { resetSync, retrySync } from "~/sync/admin-actions.server";
import { SWEEP_BATCH } from "~/sync/sweep.server";
import { signedIn } from "./support/sign-in";

let databaseUrl: string;
/** Waits for the next minute when fewer than `marginMs` are left in this one. */
const notNearTheEndOfAMinute = async (marginMs: number) => {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < marginMs) await new Promise((r) => setTimeout(r, left + 100));
};
beforeAll(async () => {
  databaseUrl = await freshDatabase();
});
beforeEach(async () => {
  await sandbox().reset();
  await resetDatabase(databaseUrl);
});



describe("new customers", () => {
  it("creates the Zoho contact with name, type and primary person, links it and records the event", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const { customer, job } = await createCustomerWithJob(databaseUrl, { firstName: "Lea", lastName: "Salonga", phone: "+639171112222" });
    const result = await deliver(env, [job.id]);
    expect(result.explicitAcks).toHaveLength(1);

    const { customer: after, jobs, events } = await loadCustomer(databaseUrl, customer.id);
    expect(after).toMatchObject({ zohoSyncStatus: "synced", zohoMatchType: "created", zohoContactName: "Lea Salonga", zohoSyncError: null, zohoLinkBasis: "created" });
    expect(jobs[0].processedAt).not.toBeNull();
    const [created] = await contactsWithEmail(customer.email);
    expect(created.contact_id).toBe(after.zohoContactId);
    expect(created.contact_type).toBe("customer");
    expect(created.contact_persons?.[0]).toMatchObject({ first_name: "Lea", last_name: "Salonga", is_primary_contact: true });
    // While the budget has room, a new customer's email is looked up before the create (create-policy.ts).
    expect(events.at(-1)).toMatchObject({ outcome: "synced", zohoCalls: 2, matchType: "created" });
  });

  it("a duplicate delivery of the same job at the same time creates one contact", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    await sandbox().addFault({ method: "POST", path: "/books/v3/contacts", latencyMs: 300, count: 2 });
    const { customer, job } = await createCustomerWithJob(databaseUrl);
    await Promise.all([deliver(env, [job.id]), deliver(env, [job.id])]);
    expect(await contactsWithEmail(customer.email)).toHaveLength(1);
    expect((await loadCustomer(databaseUrl, customer.id)).customer.zohoSyncStatus).toBe("synced");
  });

  it("a crash after Zoho created the contact but before the database recorded it does not create a second one", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    // Adopting the contact found by email needs the customer's verified email (link policy).
    const { customer, job } = await createCustomerWithJob(databaseUrl, { verified: true });
    expect((await crashAfterZohoWrite(env, job.id, "killed between the Zoho write and the database write")).retryMessages).toHaveLength(1);
    expect((await loadCustomer(databaseUrl, customer.id)).customer.zohoSyncStatus).toBe("syncing");

    // The redelivered message cannot take the job while the dead worker's lease holds…
    await deliver(env, [job.id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer.zohoSyncStatus).toBe("syncing");
    // …the lease expires, the hourly sweep recovers it and the retry adopts the contact Zoho already has.
    await expireLease(databaseUrl, job.id);
    const { env: cronEnv, queue } = testEnv(databaseUrl);
    await runCron(cronEnv);
    expect(queue.sent).toEqual([{ jobId: job.id }]);
    await deliver(env, [job.id]);

    const { customer: after, events } = await loadCustomer(databaseUrl, customer.id);
    expect(after).toMatchObject({ zohoSyncStatus: "synced", zohoMatchType: "adopted" });
    expect(await contactsWithEmail(customer.email)).toHaveLength(1);
    expect(events.map((e) => e.outcome)).toContain("lease_expired");
  });

  it("a lost reply (Zoho created it, then answered 500) is retried without a duplicate", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    await sandbox().addFault({ method: "POST", path: "/books/v3/contacts", status: 500, code: 1, afterEffect: true, count: 1 });
    const { customer, job } = await createCustomerWithJob(databaseUrl, { verified: true });
    await deliver(env, [job.id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer).toMatchObject({ zohoSyncStatus: "pending", zohoSyncAttempts: 1 });
    await makeJobDue(databaseUrl, job.id);
    await deliver(env, [job.id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer).toMatchObject({ zohoSyncStatus: "synced", zohoMatchType: "adopted" });
    expect(await contactsWithEmail(customer.email)).toHaveLength(1);
  });

  it("with a unique custom field configured, creates through Zoho's upsert on our customer id", async () => {
    const { env } = testEnv(databaseUrl, { ZOHO_UNIQUE_FIELD: "cf_portal_customer_id" });
    await connectZoho(env);
    const { customer, job } = await createCustomerWithJob(databaseUrl);
    await sandbox().clearCalls();
    await deliver(env, [job.id]);
    const calls = await sandbox().calls();
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(["PUT /books/v3/contacts"]);
    const after = (await loadCustomer(databaseUrl, customer.id)).customer;
    expect(after).toMatchObject({ zohoSyncStatus: "synced", zohoMatchType: "upsert" });
    // Replaying the job (a crash after the upsert) updates the same contact instead of adding one.
    await makeJobDue(databaseUrl, job.id, { reopen: true });
    await deliver(env, [job.id]);
    expect(await contactsWithEmail(customer.email)).toHaveLength(1);
  });
});

describe("a token Zoho stops accepting mid-day", () => {
  it("does not pause sync: Zoho's 401 + 57 makes the client refresh once and the customer syncs", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    await sandbox().revokeAccessTokens(); // the stored token still has most of its hour left
    const { customer, job } = await createCustomerWithJob(databaseUrl, { firstName: "Mid", lastName: "Day" });
    await deliver(env, [job.id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer).toMatchObject({ zohoSyncStatus: "synced", zohoMatchType: "created" });
    expect(((await sql(databaseUrl, "select status from zoho_tokens")) as Array<{ status: string }>)[0].status).toBe("connected");
    // The email lookup before the create (budget has room) meets the dead token, refreshes, then succeeds.
    expect((await sandbox().calls()).map((c) => c.status)).toEqual([401, 200, 201]);
  });
});

describe("returning customers", () => {
  it.each([
    ["their verified email (any case, spaces)", { email: "  ANA.REYES@example.com ", firstName: "Ana", lastName: "Reyes" }],
    ["the verified email of a secondary contact person, found through their surname", { email: "carla.lopez@example.com", firstName: "Carla", lastName: "Lopez" }],
    ["a verified email Zoho stores with capitals", { email: "rosa.lim@example.com", firstName: "Rosa", lastName: "Lim" }],
  ])("are linked by %s", async (_label, person) => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const { customer, job } = await createCustomerWithJob(databaseUrl, { returning: true, verified: true, ...person, email: person.email.trim() });
    await deliver(env, [job.id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer).toMatchObject({
      zohoSyncStatus: "synced",
      zohoMatchType: "email",
      zohoLinkBasis: "verified_email",
      zohoReviewReason: null,
    });
  });

  // Issue 11: a name alone proves nothing. It used to link; now it waits for an admin's Confirm link.
  it("a match by name alone is not linked: it goes to review with the contact suggested", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const { customer, job } = await createCustomerWithJob(databaseUrl, { returning: true, verified: true, email: "juan.new@elsewhere.example", firstName: "Juan", lastName: "Dela  Cruz" });
    await deliver(env, [job.id]);
    const after = (await loadCustomer(databaseUrl, customer.id)).customer;
    expect(after).toMatchObject({ zohoSyncStatus: "skipped", zohoReviewReason: "name_only", zohoContactId: null, zohoLinkBasis: null });
    expect(after.zohoSyncCandidates).toEqual([expect.objectContaining({ contactName: "Juan Dela Cruz", email: "juan@example.com" })]);
  });

  it("a customer whose email is not verified is never linked, even when the email matches a contact", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const { customer, job } = await createCustomerWithJob(databaseUrl, { returning: true, email: "ana.reyes@example.com", firstName: "Ana", lastName: "Reyes" });
    await deliver(env, [job.id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer).toMatchObject({ zohoSyncStatus: "skipped", zohoReviewReason: "unverified", zohoContactId: null });
  });

  it("a verified login under a different address does not prove the customer's email", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const { customer, job } = await createCustomerWithJob(databaseUrl, { returning: true, verified: true, email: "ana.reyes@example.com", firstName: "Ana", lastName: "Reyes" });
    await sql(databaseUrl, "update users set email = 'someone.else@example.com' where id = $1", [customer.userId]);
    await deliver(env, [job.id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer).toMatchObject({ zohoSyncStatus: "skipped", zohoReviewReason: "unverified" });
  });

  it("a second account matching an already linked contact goes to review, and the first link stays", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const first = await createCustomerWithJob(databaseUrl, { returning: true, verified: true, email: "ana.reyes@example.com", firstName: "Ana", lastName: "Reyes" });
    await deliver(env, [first.job.id]);
    const linked = (await loadCustomer(databaseUrl, first.customer.id)).customer;
    expect(linked.zohoSyncStatus).toBe("synced");
    const second = await createCustomerWithJob(databaseUrl, { returning: true, verified: true, email: "ana.r@new.example", firstName: "Ana", lastName: "Reyes" });
    await deliver(env, [second.job.id]);
    const after = (await loadCustomer(databaseUrl, second.customer.id)).customer;
    expect(after).toMatchObject({ zohoSyncStatus: "skipped", zohoReviewReason: "contact_already_linked", zohoContactId: null });
    expect(after.zohoSyncError).toContain("ana.reyes@example.com");
    expect((await loadCustomer(databaseUrl, first.customer.id)).customer.zohoContactId).toBe(linked.zohoContactId);
  });

  it("the database itself refuses a second account on one Zoho contact", async () => {
    const a = await createCustomerWithJob(databaseUrl);
    const b = await createCustomerWithJob(databaseUrl);
    await sql(databaseUrl, "update customers set zoho_contact_id = '4600001' where id = $1", [a.customer.id]);
    await expect(sql(databaseUrl, "update customers set zoho_contact_id = '4600001' where id = $1", [b.customer.id])).rejects.toThrow(/customers_zoho_contact_unique/);
  });

  it("a secondary contact person whose surname is not in the contact's name is not found (Zoho's email filter sees only primary persons)", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const { customer, job } = await createCustomerWithJob(databaseUrl, { returning: true, verified: true, firstName: "Nina", lastName: "Cruz", email: "nina.cruz@example.com" });
    await deliver(env, [job.id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer).toMatchObject({ zohoSyncStatus: "failed", zohoContactId: null });
  });

  it("two contacts sharing the email go to review with both candidates", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const { customer, job } = await createCustomerWithJob(databaseUrl, { returning: true, verified: true, email: "shared@example.com" });
    await deliver(env, [job.id]);
    const after = (await loadCustomer(databaseUrl, customer.id)).customer;
    expect(after.zohoSyncStatus).toBe("skipped");
    expect(after.zohoReviewReason).toBe("several_matches");
    expect(after.zohoSyncCandidates).toHaveLength(2);
    expect(after.zohoContactId).toBeNull();
  });

  it("names that differ only by case and spaces count as the same person, so two of them go to review", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const { customer, job } = await createCustomerWithJob(databaseUrl, { returning: true, firstName: "Pedro", lastName: "Garcia", email: "pedro.g@new.example" });
    await deliver(env, [job.id]);
    // Review because of TWO name matches (one alone would be "name_only" with one candidate).
    const after = (await loadCustomer(databaseUrl, customer.id)).customer;
    expect(after).toMatchObject({ zohoSyncStatus: "skipped", zohoReviewReason: "several_matches", zohoContactId: null });
    expect(after.zohoSyncCandidates).toHaveLength(2);
  });

  it("an unverified new customer whose same-named contact holds their email is not adopted", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    await sandbox().settings({ allowDuplicateNames: false });
    const { customer, job } = await createCustomerWithJob(databaseUrl, { firstName: "Juan", lastName: "Dela Cruz", email: "juan@example.com" });
    await deliver(env, [job.id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer).toMatchObject({ zohoSyncStatus: "skipped", zohoReviewReason: "unverified", zohoContactId: null });
  });

  it("no match fails with the spec's message and no contact is created", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const before = (await sandbox().listContacts()).length;
    const { customer, job } = await createCustomerWithJob(databaseUrl, { returning: true, firstName: "Nobody", lastName: "Knownhere" });
    await deliver(env, [job.id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer).toMatchObject({
      zohoSyncStatus: "failed",
      zohoSyncError: "No matching contact found in Zoho Books",
    });
    expect(await sandbox().listContacts()).toHaveLength(before);
  });
});

describe("retries and waiting", () => {
  it("transient errors retry with backoff and fail after the third attempt with the last error", async () => {
    const { env, queue } = testEnv(databaseUrl);
    await connectZoho(env);
    // Only the create fails: the health probe after the first failure finds Zoho answering, so this is the
    // customer's own problem (a fault on every contacts call is an outage: tests/workers/sync-recovery.test.ts).
    await sandbox().addFault({ method: "POST", path: "/books/v3/contacts", status: 503, code: 1, message: "Service temporarily unavailable" });
    const { customer, job } = await createCustomerWithJob(databaseUrl);
    for (let attempt = 1; attempt <= 3; attempt++) {
      await deliver(env, [job.id]);
      const { customer: c, jobs } = await loadCustomer(databaseUrl, customer.id);
      expect(c.zohoSyncAttempts).toBe(Math.min(attempt, 2));
      if (attempt < 3) {
        expect(c.zohoSyncStatus).toBe("pending");
        expect(jobs[0].scheduledFor.getTime()).toBeGreaterThan(Date.now() + 60_000);
        await makeJobDue(databaseUrl, job.id);
      }
    }
    // The third failure came within a minute of the first one's health probe: the last attempt is kept (not
    // counted) until the next probe may run; then the failure is checked, Zoho answers, and the customer fails.
    expect((await loadCustomer(databaseUrl, customer.id)).customer).toMatchObject({ zohoSyncStatus: "pending", zohoSyncAttempts: 2 });
    await sql(databaseUrl, "update zoho_sync_health set next_probe_at = now() - interval '1 second'");
    await makeJobDue(databaseUrl, job.id);
    await deliver(env, [job.id]);
    const { customer: failed } = await loadCustomer(databaseUrl, customer.id);
    expect(failed.zohoSyncStatus).toBe("failed");
    expect(failed.zohoSyncAttempts).toBe(3);
    expect(failed.zohoSyncError).toContain("Service temporarily unavailable");
    expect(queue.sent.length).toBe(3); // the two delayed retries and the kept last attempt
  });

  it("a failure reported inside HTTP 200 is read from its code, not taken as success", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    await sandbox().addFault({ method: "POST", path: "/books/v3/contacts", body200: true, code: 9999, message: "Internal processing error", count: 1 });
    const { customer, job } = await createCustomerWithJob(databaseUrl);
    await deliver(env, [job.id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer).toMatchObject({ zohoSyncStatus: "pending", zohoSyncAttempts: 1, zohoContactId: null });
  });

  it("a permanent error fails at once with Zoho's reason", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    await sandbox().addFault({ method: "POST", path: "/books/v3/contacts", status: 400, code: 2, message: "Invalid value passed for mobile", count: 1 });
    const { customer, job } = await createCustomerWithJob(databaseUrl);
    await deliver(env, [job.id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer).toMatchObject({ zohoSyncStatus: "failed", zohoSyncAttempts: 1 });
  });

  it("Zoho's 429 does not burn an attempt", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    await sandbox().addFault({ path: "/books/v3/contacts", status: 429, code: 44, message: "Too many requests", count: 1 });
    const { customer, job } = await createCustomerWithJob(databaseUrl);
    await deliver(env, [job.id]);
    const { customer: c, jobs } = await loadCustomer(databaseUrl, customer.id);
    expect(c).toMatchObject({ zohoSyncStatus: "pending", zohoSyncAttempts: 0 });
    expect(jobs[0].scheduledFor.getTime()).toBeGreaterThan(Date.now() + 50_000);
  });

  it("calls of a run that met Zoho's 429 halfway are counted as wasted, and the backlog ETA's calls per job leave them out", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    await sandbox().addFault({ method: "POST", path: "/books/v3/contacts", status: 429, code: 44, message: "Too many requests", count: 1 });
    const { customer, job } = await createCustomerWithJob(databaseUrl);
    await deliver(env, [job.id]);
    await makeJobDue(databaseUrl, job.id);
    await deliver(env, [job.id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer.zohoSyncStatus).toBe("synced");
    const [ledger] = (await sql(databaseUrl, "select sync, sync_wasted from zoho_api_ledger")) as Array<{ sync: number; sync_wasted: number }>;
    // The lookup, the refused create, then the lookup and create again: 4 calls, 2 of them for nothing.
    expect(ledger).toEqual({ sync: 4, sync_wasted: 2 });
    const app = createAppServices(env);
    const board = await dashboard(app);
    await app.close();
    expect(board.budget.backlog.callsPerJob).toBe(2);
  });

  it("jobs our own per-minute pace turns away spend no call and wait in line, one slot each at the pace's rate", async () => {
    // 4 calls a minute: a slot is 30 s (one new customer's lookup + create). This minute and the next are full.
    const { env, queue } = testEnv(databaseUrl, { ZOHO_CALLS_PER_MINUTE: "4" });
    await connectZoho(env);
    // The pace counts by clock minute: the test runs inside one (it takes a few seconds).
    await notNearTheEndOfAMinute(20_000);
    await sql(databaseUrl, "insert into zoho_api_minutes (minute, calls) values (date_trunc('minute', now()), 4), (date_trunc('minute', now()) + interval '1 minute', 4)");
    const people = [];
    for (let i = 0; i < 5; i++) people.push(await createCustomerWithJob(databaseUrl, { lastName: `Paced ${i}` }));
    await sandbox().clearCalls();
    for (const p of people) await deliver(env, [p.job.id]);

    expect(await sandbox().calls()).toHaveLength(0);
    const slots: number[] = [];
    for (const p of people) {
      const { customer, jobs } = await loadCustomer(databaseUrl, p.customer.id);
      expect(customer).toMatchObject({ zohoSyncStatus: "pending", zohoSyncAttempts: 0 });
      expect(customer.zohoSyncError).toMatch(/^Waiting in line: sync is paced to stay within Zoho's per-minute limit; this customer's turn comes in about \d+ minutes?$/);
      slots.push(jobs[0].scheduledFor.getTime());
    }
    // In the order they were turned away, 30 s apart, from a whole minute on (never in the full current one).
    expect(new Date(slots[0]).getUTCSeconds()).toBe(0);
    expect(slots[0]).toBeGreaterThan(Date.now());
    expect(slots.slice(1).map((t, i) => t - slots[i])).toEqual([30_000, 30_000, 30_000, 30_000]);
    // Each message comes back at its slot, not earlier.
    expect(queue.sent.map((m) => m.jobId)).toEqual(people.map((p) => p.job.id));
    queue.delays.forEach((d, i) => expect(Math.abs(d! * 1000 - (slots[i] - Date.now()))).toBeLessThan(5_000));
    const [ledger] = (await sql(databaseUrl, "select total, refused from zoho_api_ledger")) as Array<{ total: number; refused: number }>;
    // The first was refused by the pace; the others found a line waiting and joined it without asking.
    expect(ledger).toEqual({ total: 0, refused: 1 });

    // The dashboard's ETA is not before the line's last slot.
    const app = createAppServices(env);
    const board = await dashboard(app);
    await app.close();
    expect(new Date(board.budget.backlog.finishesAt!).getTime()).toBeGreaterThanOrEqual(slots[4]);

    // Their time comes (room again): each runs whole, two calls, and the ones still without room join the line's end.
    await sql(databaseUrl, "truncate zoho_api_minutes");
    await makeJobDue(databaseUrl);
    for (const p of people) await deliver(env, [p.job.id]);
    const after = await Promise.all(people.map((p) => loadCustomer(databaseUrl, p.customer.id)));
    const synced = after.filter((a) => a.customer.zohoSyncStatus === "synced");
    expect(synced).toHaveLength(2);
    for (const a of synced) expect(a.events.at(-1)).toMatchObject({ outcome: "synced", zohoCalls: 2 });
    expect(await sandbox().calls()).toHaveLength(4);
    const waiting = after.filter((a) => a.customer.zohoSyncStatus === "pending").map((a) => a.jobs[0].scheduledFor.getTime());
    expect(waiting).toHaveLength(3);
    for (const t of waiting) expect(t).toBeGreaterThan(slots[4]);

    // A new registration while they wait does not jump the line (even with room this minute): it goes to its end.
    await sql(databaseUrl, "truncate zoho_api_minutes");
    const late = await createCustomerWithJob(databaseUrl, { lastName: "Late" });
    await deliver(env, [late.job.id]);
    const { customer: lateCustomer, jobs: lateJobs } = await loadCustomer(databaseUrl, late.customer.id);
    expect(lateCustomer).toMatchObject({ zohoSyncStatus: "pending", zohoSyncAttempts: 0 });
    expect(lateJobs[0].scheduledFor.getTime()).toBeGreaterThan(Math.max(...waiting));
    expect(await sandbox().calls()).toHaveLength(4);

    // An admin's reset puts the customer back as new: out of the line, then at its end like any new job.
    const adminApp = createAppServices(env);
    const adminId = (await createUser(databaseUrl, { role: "admin" })).id;
    const inLine = after.find((a) => a.customer.zohoSyncStatus === "pending")!;
    await resetSync(adminApp, inLine.customer.id, adminId);
    await deliver(env, [inLine.jobs[0].id]);
    const reset = await loadCustomer(databaseUrl, inLine.customer.id);
    expect(reset.customer.zohoSyncStatus).toBe("pending");
    expect(reset.jobs.find((j) => !j.processedAt)!.scheduledFor.getTime()).toBeGreaterThan(lateJobs[0].scheduledFor.getTime());
    expect(await sandbox().calls()).toHaveLength(4);

    // An admin's "Retry sync" is asked for now: it goes ahead of the line while the minute has room.
    await retrySync(adminApp, late.customer.id, adminId);
    await adminApp.close();
    await deliver(env, [late.job.id]);
    const retried = await loadCustomer(databaseUrl, late.customer.id);
    expect(retried.customer.zohoSyncStatus).toBe("synced");
    // An admin's retry looks wider before creating (contact persons too): its calls are all it spent.
    const retryCalls = retried.events.at(-1)!.zohoCalls;
    expect(retryCalls).toBeGreaterThanOrEqual(2);
    expect(await sandbox().calls()).toHaveLength(4 + retryCalls);
  });

  it.each(["100", "9"])("the first job of a fresh minute takes its two calls at a pace of %s (numbers compared as numbers)", async (pace) => {
    const { env } = testEnv(databaseUrl, { ZOHO_CALLS_PER_MINUTE: pace });
    await connectZoho(env);
    await notNearTheEndOfAMinute(5_000);
    const { customer, job } = await createCustomerWithJob(databaseUrl);
    await deliver(env, [job.id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer).toMatchObject({ zohoSyncStatus: "synced", zohoMatchType: "created" });
    const minutes = (await sql(databaseUrl, "select calls from zoho_api_minutes")) as Array<{ calls: number }>;
    expect(minutes).toEqual([{ calls: 2 }]);
  });

  it("a job takes the pace for the calls it plans before its first one and gives back what it did not use", async () => {
    const { env } = testEnv(databaseUrl, { ZOHO_CALLS_PER_MINUTE: "4" });
    await connectZoho(env);
    await notNearTheEndOfAMinute(10_000);
    // 3 of this minute's 4 calls are used: a new customer's lookup + create (2) does not start at all…
    await sql(databaseUrl, "insert into zoho_api_minutes (minute, calls) values (date_trunc('minute', now()), 3)");
    const email = "already.there@example.com";
    await sandbox().addContact({ contact_name: "Already There", email, first_name: "Already", last_name: "There" });
    const { customer, job } = await createCustomerWithJob(databaseUrl, { email, firstName: "Already", lastName: "There", verified: true });
    await sandbox().clearCalls();
    await deliver(env, [job.id]);
    expect(await sandbox().calls()).toHaveLength(0);
    expect((await loadCustomer(databaseUrl, customer.id)).customer.zohoSyncStatus).toBe("pending");

    // …with room for both it starts; the lookup finds the person's contact, so 1 call was enough and 1 is given back.
    await sql(databaseUrl, "update zoho_api_minutes set calls = 2");
    await makeJobDue(databaseUrl, job.id);
    await deliver(env, [job.id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer).toMatchObject({ zohoSyncStatus: "synced", zohoMatchType: "email" });
    expect(await sandbox().calls()).toHaveLength(1);
    const minutes = (await sql(databaseUrl, "select calls from zoho_api_minutes where minute = date_trunc('minute', now())")) as Array<{ calls: number }>;
    expect(minutes).toEqual([{ calls: 3 }]);
  });

  it("an exhausted daily budget reschedules for the next UTC day without calling Zoho or burning an attempt", async () => {
    const { env } = testEnv(databaseUrl, { ZOHO_DAILY_CALL_LIMIT: "100", ZOHO_ORDERS_DAILY_SHARE: "5", ZOHO_ADMIN_DAILY_SHARE: "5" });
    await connectZoho(env);
    await sql(databaseUrl, "insert into zoho_api_ledger (day, total, sync) values ((now() at time zone 'utc')::date, 90, 90)");
    const { customer, job } = await createCustomerWithJob(databaseUrl);
    await sandbox().clearCalls();
    await deliver(env, [job.id]);
    const { customer: c, jobs } = await loadCustomer(databaseUrl, customer.id);
    expect(c).toMatchObject({ zohoSyncStatus: "pending", zohoSyncAttempts: 0 });
    expect(jobs[0].scheduledFor.toISOString().slice(0, 10)).toBe(new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));
    expect(await sandbox().calls()).toHaveLength(0);
    const [ledger] = (await sql(databaseUrl, "select total, refused from zoho_api_ledger")) as Array<{ total: number; refused: number }>;
    expect(ledger).toEqual({ total: 90, refused: 1 });
  });

  it("a revoked connection pauses sync without burning attempts, and reconnecting sends every waiting job at once (queued within 5 s)", async () => {
    const { env, queue } = testEnv(databaseUrl);
    await connectZoho(env);
    await sql(databaseUrl, "update zoho_tokens set access_token_expires_at = now() - interval '1 minute'");
    await sandbox().revokeAllTokens();
    // More waiting customers than the hourly sweep's share of 10: a reconnect sends them all, not 10.
    const people = await Promise.all(Array.from({ length: SWEEP_BATCH + 2 }, () => createCustomerWithJob(databaseUrl)));
    for (const p of people) await deliver(env, [p.job.id]);
    for (const p of people) expect((await loadCustomer(databaseUrl, p.customer.id)).customer).toMatchObject({ zohoSyncStatus: "pending", zohoSyncAttempts: 0 });
    const [conn] = (await sql(databaseUrl, "select status from zoho_tokens")) as Array<{ status: string }>;
    expect(conn.status).toBe("reconnect_needed");
    expect(queue.sent).toHaveLength(0);

    // The hourly sweep does not spin on a dead connection…
    await runCron(env);
    expect(queue.sent).toHaveLength(0);
    const [run] = (await sql(databaseUrl, "select error from cron_runs order by id desc limit 1")) as Array<{ error: string }>;
    expect(run.error).toMatch(/reconnect/i);

    // …and when an admin reconnects through Zoho's consent screen, every waiting job is on the queue at once.
    const admin = await signedIn(env, databaseUrl, "admin");
    const authorize = new URL((await admin.post("/admin/zoho", { intent: "connect" })).headers.get("Location")!);
    const form = new URLSearchParams(authorize.search);
    form.set("decision", "accept");
    const back = new URL((await fetch(new URL("/oauth/v2/auth", authorize), { method: "POST", body: form, redirect: "manual" })).headers.get("Location")!);
    const reconnectedAt = Date.now();
    expect((await admin.get(back.pathname + back.search)).status).toBe(302);
    await vi.waitFor(() => expect(new Set(queue.sent.map((m) => m.jobId))).toEqual(new Set(people.map((p) => p.job.id))), { timeout: 5_000, interval: 50 });
    expect(Date.now() - reconnectedAt).toBeLessThan(5_000);
    expect(queue.delays.every((d) => d === undefined)).toBe(true);
    await deliver(env, people.map((p) => p.job.id));
    for (const p of people) expect((await loadCustomer(databaseUrl, p.customer.id)).customer.zohoSyncStatus).toBe("synced");
  });

  it("a connection without the create scope waits for a reconnect instead of failing the customer", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env, "ZohoBooks.contacts.READ,ZohoBooks.invoices.READ");
    const { customer, job } = await createCustomerWithJob(databaseUrl);
    await deliver(env, [job.id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer).toMatchObject({ zohoSyncStatus: "pending", zohoSyncAttempts: 0 });
    expect(((await sql(databaseUrl, "select status from zoho_tokens")) as Array<{ status: string }>)[0].status).toBe("reconnect_needed");
  });
});

describe("duplicate display names", () => {
  it("when the organisation allows them (Zoho's default), a second Juan Dela Cruz is simply created", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const { customer, job } = await createCustomerWithJob(databaseUrl, { firstName: "Juan", lastName: "Dela Cruz", email: "juan2@example.com" });
    await deliver(env, [job.id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer).toMatchObject({ zohoSyncStatus: "synced", zohoContactName: "Juan Dela Cruz" });
  });

  it("when the organisation forbids them, a different person is created under a name made unique by the email", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    await sandbox().settings({ allowDuplicateNames: false });
    const { customer, job } = await createCustomerWithJob(databaseUrl, { firstName: "Juan", lastName: "Dela Cruz", email: "juan2@example.com" });
    await deliver(env, [job.id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer).toMatchObject({
      zohoSyncStatus: "synced",
      zohoContactName: "Juan Dela Cruz (juan2@example.com)",
    });
  });

  it("when the organisation forbids them and the existing contact has the same verified email, it is adopted", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    await sandbox().settings({ allowDuplicateNames: false });
    // Under budget pressure the create goes ahead without looking first (with room, the lookup links it by email).
    await sql(databaseUrl, "insert into zoho_api_ledger (day, total, sync) values ((now() at time zone 'utc')::date, 400, 400)");
    const before = (await sandbox().listContacts()).length;
    const { customer, job } = await createCustomerWithJob(databaseUrl, { verified: true, firstName: "Juan", lastName: "Dela Cruz", email: "juan@example.com" });
    await deliver(env, [job.id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer).toMatchObject({ zohoSyncStatus: "synced", zohoMatchType: "adopted", zohoLinkBasis: "verified_email" });
    expect(await sandbox().listContacts()).toHaveLength(before);
  });
});

describe("hourly sweep", () => {
  it("puts up to 10 due jobs on the queue by priority and time and records the run", async () => {
    const { env, queue } = testEnv(databaseUrl);
    await connectZoho(env);
    const jobs = [];
    for (let i = 0; i < 12; i++) jobs.push((await createCustomerWithJob(databaseUrl)).job);
    await setJobPriority(databaseUrl, jobs[11].id, 10);
    await runCron(env);
    expect(queue.sent).toHaveLength(10);
    expect(queue.sent[0]).toEqual({ jobId: jobs[11].id });
    const [run] = (await sql(databaseUrl, "select jobs_enqueued, finished_at from cron_runs")) as Array<{ jobs_enqueued: number; finished_at: Date }>;
    expect(run.jobs_enqueued).toBe(10);
    expect(run.finished_at).not.toBeNull();
    // Jobs just sent are not sent again by an overlapping run; the other two are.
    const second = testEnv(databaseUrl);
    await runCron(second.env);
    expect(second.queue.sent).toHaveLength(2);
  });

  it("gives a job due before the next sweep (held for the budget, or a later day of a spread-out retry) a message timed for its turn", async () => {
    const { env, queue } = testEnv(databaseUrl);
    await connectZoho(env);
    const soon = (await createCustomerWithJob(databaseUrl)).job;
    const later = (await createCustomerWithJob(databaseUrl)).job;
    await scheduleJobIn(databaseUrl, soon.id, 30 * 60_000);
    await scheduleJobIn(databaseUrl, later.id, 3 * 60 * 60_000);
    await runCron(env);
    expect(queue.sent).toEqual([{ jobId: soon.id }]);
    expect(queue.delays[0]).toBeGreaterThan(29 * 60);
    expect(queue.delays[0]).toBeLessThanOrEqual(30 * 60 + 1);
    // Sent once: the next sweep does not send it again.
    await runCron(env);
    expect(queue.sent).toHaveLength(1);
  });

  it("skips jobs the remaining budget cannot cover and says so", async () => {
    const { env, queue } = testEnv(databaseUrl, { ZOHO_DAILY_CALL_LIMIT: "100", ZOHO_ORDERS_DAILY_SHARE: "5", ZOHO_ADMIN_DAILY_SHARE: "5" });
    await connectZoho(env);
    await sql(databaseUrl, "insert into zoho_api_ledger (day, total, sync) values ((now() at time zone 'utc')::date, 84, 84)");
    for (let i = 0; i < 4; i++) await createCustomerWithJob(databaseUrl);
    await runCron(env);
    expect(queue.sent).toHaveLength(2);
    const [run] = (await sql(databaseUrl, "select skipped_for_budget from cron_runs")) as Array<{ skipped_for_budget: number }>;
    expect(run.skipped_for_budget).toBe(2);
  });

  it("the cron racing the consumer on the same jobs still yields one contact per customer", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const made = [];
    for (let i = 0; i < 4; i++) made.push(await createCustomerWithJob(databaseUrl));
    const { env: cronEnv, queue } = testEnv(databaseUrl);
    await Promise.all([deliver(env, made.map((m) => m.job.id)), runCron(cronEnv)]);
    await deliver(env, queue.sent.map((m) => m.jobId));
    for (const { customer } of made) {
      expect((await loadCustomer(databaseUrl, customer.id)).customer.zohoSyncStatus).toBe("synced");
      expect(await contactsWithEmail(customer.email)).toHaveLength(1);
    }
  });
});

describe("hourly housekeeping", () => {
  it("the cron trims expired sessions and old pacing counters, and keeps live ones", async () => {
    const { env } = testEnv(databaseUrl);
    await sql(databaseUrl, "insert into sessions (id, data, expires_at) values ('old', '{}', now() - interval '1 day'), ('live', '{}', now() + interval '1 day')");
    await sql(databaseUrl, "insert into zoho_api_minutes (minute, calls) values (now() - interval '2 days', 5), (date_trunc('minute', now()), 1) on conflict do nothing");
    await runCron(env);
    expect(((await sql(databaseUrl, "select id from sessions where id in ('old', 'live')")) as Array<{ id: string }>).map((r) => r.id)).toEqual(["live"]);
    expect(await sql(databaseUrl, "select 1 from zoho_api_minutes where minute < now() - interval '1 day'")).toHaveLength(0);
    expect(await sql(databaseUrl, "select 1 from zoho_api_minutes")).toHaveLength(1);
  });
});

describe("failure alerts", () => {
  it("a failure posts one Slack-style message per customer per failure, armed again by a retry", async () => {
    const { env } = testEnv(databaseUrl, { FAILURE_WEBHOOK_URL: `${bindings.TEST_SANDBOX_URL}/__hooks/slack` });
    await connectZoho(env);
    const { customer, job } = await createCustomerWithJob(databaseUrl, { returning: true, firstName: "Alert", lastName: "Nomatch" });
    await deliver(env, [job.id]);
    let hooks = await sandbox().webhooks();
    expect(hooks).toHaveLength(1);
    expect(hooks[0].body.text).toContain("Alert Nomatch");
    expect(hooks[0].body.text).toContain("No matching contact found in Zoho Books");
    expect(hooks[0].body.text).toContain(`/admin/customers/${customer.id}`);
    // The same failure stored again (a duplicate delivery of a replayed job) does not alert twice.
    await reopenJob(databaseUrl, job.id);
    await deliver(env, [job.id]);
    expect(await sandbox().webhooks()).toHaveLength(1);
    // After an admin's Retry, a new failure is a new alert.
    const adminId = (await createUser(databaseUrl, { role: "admin" })).id;
    const app = createAppServices(env);
    const retried = await retrySync(app, customer.id, adminId);
    await app.close();
    await deliver(env, [retried.jobId!]);
    hooks = await sandbox().webhooks();
    expect(hooks).toHaveLength(2);
  });
});
