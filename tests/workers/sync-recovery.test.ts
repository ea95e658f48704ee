// No duplicates and no stalls on every path: admin retries/resets/unlinks, backfill, "new" people already
// in Zoho, Zoho outages and a job that kills the worker — through the real consumer, cron and sandbox.
import { createMessageBatch } from "cloudflare:test";
import { mailsTo } from "@tools/local-stack/mail-inbox";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createAppServices } from "~/context.server";
import { startBackfill } from "~/sync/backfill.server";
import { handleSyncBatch } from "~/sync/consumer.server";
import { WORKER_STOPPED_MESSAGE } from "~/sync/jobs/recover.server";
import { unlinkContact } from "~/sync/linking.server";
import { retryAllFailed, retrySync, resetSync } from "~/sync/admin-actions.server";
import { OUTAGE_WAIT_MESSAGE, PAUSE_AFTER_JOBS } from "~/sync/outage";
import { UNCONFIRMED_WAIT_MESSAGE } from "~/sync/outcome";
import { SimulatedCrash } from "~/sync/run/work.server";
import { sendJobs } from "~/sync/send.server";
import { dashboard } from "~/admin/dashboard.server";
import { freshDatabase, resetDatabase, sql } from "./support/database";
import { createCustomerWithJob, createUser, loadCustomer } from "./support/factories";
import { deleteAllJobs, expireLease, makeJobDue, openJobSchedules } from "./support/jobs";
import { deliver, runCron } from "./support/queue-delivery";
import { bindings, testEnv } from "./support/worker-env";
import { signedIn } from "./support/sign-in";
import { connectZoho, contactsWithEmail, sandbox } from "./support/zoho-sandbox";

let databaseUrl: string;
let adminId: string;
beforeAll(async () => {
  databaseUrl = await freshDatabase();
});
beforeEach(async () => {
  await sandbox().reset();
  await resetDatabase(databaseUrl);
  adminId = (await createUser(databaseUrl, { role: "admin" })).id;
});



/** Today's sync budget mostly spent (under the look-first threshold): creates go ahead without looking. */
async function budgetPressure() {
  await sql(databaseUrl, "insert into zoho_api_ledger (day, total, sync) values ((now() at time zone 'utc')::date, 400, 400)");
}

async function openJobId(customerId: string) {
  const { jobs } = await loadCustomer(databaseUrl, customerId);
  return jobs.find((j) => !j.processedAt)?.id;
}

describe("creating is safe on every path (a create attempted once is known to every later job)", () => {
  it("an admin Retry after a create whose replies were lost adopts the contact instead of creating a second one", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    await budgetPressure();
    await sandbox().addFault({ method: "POST", path: "/books/v3/contacts", status: 500, code: 1, afterEffect: true, count: 1 });
    // Adopting a contact found by email needs a verified address (issue 11).
    const { customer, job } = await createCustomerWithJob(databaseUrl, { verified: true });
    for (let i = 0; i < 3; i++) {
      // The lookups of the two retries fail (after the first failure's health probe found Zoho answering).
      if (i === 1) await sandbox().addFault({ method: "GET", path: "/books/v3/contacts", status: 500, code: 1, count: 3 });
      await makeJobDue(databaseUrl, job.id);
      await deliver(env, [job.id]);
    }
    // The last attempt waits for the next health probe; when it may run, the lookup fails once more and the probe
    // finds Zoho answering: the customer fails.
    await sql(databaseUrl, "update zoho_sync_health set next_probe_at = now() - interval '1 second'");
    await makeJobDue(databaseUrl, job.id);
    await deliver(env, [job.id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer.zohoSyncStatus).toBe("failed");
    expect(await contactsWithEmail(customer.email)).toHaveLength(1);

    const app = createAppServices(env);
    const state = await retrySync(app, customer.id, adminId);
    await app.close();
    await deliver(env, [state.jobId!]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer).toMatchObject({ zohoSyncStatus: "synced", zohoMatchType: "adopted" });
    expect(await contactsWithEmail(customer.email)).toHaveLength(1);
  });

  it.each(["retry", "reset"] as const)("Unlink then %s looks before creating, so the customer gets the same contact back", async (action) => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    await budgetPressure();
    const { customer, job } = await createCustomerWithJob(databaseUrl, { verified: true });
    await deliver(env, [job.id]);
    const created = (await loadCustomer(databaseUrl, customer.id)).customer;
    expect(created.zohoMatchType).toBe("created");

    const app = createAppServices(env);
    await unlinkContact(app, customer.id, adminId);
    const state = action === "retry" ? await retrySync(app, customer.id, adminId) : await resetSync(app, customer.id, adminId);
    await app.close();
    await deliver(env, [state.jobId!]);
    const after = (await loadCustomer(databaseUrl, customer.id)).customer;
    expect(after).toMatchObject({ zohoSyncStatus: "synced", zohoContactId: created.zohoContactId });
    expect(await contactsWithEmail(customer.email)).toHaveLength(1);
  });

  it("backfill links older customers who are already in Zoho (even on a secondary contact person) and creates only the others", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    await budgetPressure();
    const known = await createCustomerWithJob(databaseUrl, { firstName: "Ben", lastName: "Santos", email: "ben.santos@example.com", verified: true });
    const secondary = await createCustomerWithJob(databaseUrl, { firstName: "Carla", lastName: "Lopez", email: "carla.lopez@example.com", verified: true });
    const unknown = await createCustomerWithJob(databaseUrl, { firstName: "Olga", lastName: "Older" });
    // Customers from before automatic sync: no job at all.
    await deleteAllJobs(databaseUrl);
    const { env: backfillEnv, queue } = testEnv(databaseUrl);
    const app = createAppServices(backfillEnv);
    const run = await startBackfill(app, adminId);
    await app.close();
    expect(run.total).toBe(3);
    await deliver(env, queue.sent.map((m) => m.jobId));

    expect((await loadCustomer(databaseUrl, known.customer.id)).customer).toMatchObject({ zohoSyncStatus: "synced", zohoMatchType: "email" });
    expect((await loadCustomer(databaseUrl, unknown.customer.id)).customer).toMatchObject({ zohoSyncStatus: "synced", zohoMatchType: "created" });
    expect(await contactsWithEmail("ben.santos@example.com")).toHaveLength(1);
    // Carla is only a secondary person of "Lopez Trading": Zoho's email filter cannot see her, the surname
    // search and the contact persons can (findByEmailAnywhere): linked, never a second contact.
    expect((await loadCustomer(databaseUrl, secondary.customer.id)).customer).toMatchObject({ zohoSyncStatus: "synced", zohoMatchType: "email" });
    expect(await contactsWithEmail("carla.lopez@example.com")).toHaveLength(1);
  });
});

describe('"new" people already in Zoho', () => {
  it("while the budget has room, a new customer whose (verified) email Zoho knows is linked, not duplicated", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const { customer, job } = await createCustomerWithJob(databaseUrl, { firstName: "Ana", lastName: "Reyes", email: "ana.reyes@example.com", verified: true });
    await deliver(env, [job.id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer).toMatchObject({ zohoSyncStatus: "synced", zohoMatchType: "email" });
    expect(await contactsWithEmail("ana.reyes@example.com")).toHaveLength(1);
  });

  it("under budget pressure the create costs one call, and a later low-priority check flags the duplicate for an admin: a reason, a filter and a line in the digest", async () => {
    const ops = `ops-${crypto.randomUUID().slice(0, 8)}@shop.test`;
    const { env } = testEnv(databaseUrl, { ADMIN_ALERT_EMAILS: ops });
    await connectZoho(env);
    await budgetPressure();
    const { customer, job } = await createCustomerWithJob(databaseUrl, { firstName: "Ana", lastName: "Reyes", email: "ana.reyes@example.com" });
    await deliver(env, [job.id]);
    let loaded = await loadCustomer(databaseUrl, customer.id);
    expect(loaded.customer).toMatchObject({ zohoSyncStatus: "synced", zohoMatchType: "created" });
    expect(loaded.events.at(-1)).toMatchObject({ zohoCalls: 1 });
    const check = loaded.jobs.find((j) => !j.processedAt)!;
    expect(check).toMatchObject({ action: "check_duplicate" });
    expect(check.scheduledFor.getTime()).toBeGreaterThan(Date.now());

    await makeJobDue(databaseUrl, check.id);
    await deliver(env, [check.id]);
    loaded = await loadCustomer(databaseUrl, customer.id);
    expect(loaded.customer.zohoSyncStatus).toBe("synced");
    expect(loaded.customer.zohoSyncError).toMatch(/Possible duplicate: 2 Zoho contacts use this email/);
    expect(loaded.customer.zohoSyncCandidates).toHaveLength(2);
    expect(loaded.events.at(-1)).toMatchObject({ outcome: "possible_duplicate" });
    expect(loaded.customer.zohoReviewReason).toBe("possible_duplicate");
    // The list shows the reason on the (synced) customer's row and filters by it.
    const a = await signedIn(env, databaseUrl, "admin");
    const other = await createCustomerWithJob(databaseUrl, { email: "someone.else@example.com" });
    const filtered = await (await a.get("/admin/customers?reason=possible_duplicate")).text();
    expect(filtered).toContain("ana.reyes@example.com");
    expect(filtered).toContain("Possible duplicate contact in Zoho: show all customers waiting for this reason");
    expect(filtered).not.toContain(other.customer.email);
    // The admin digest the check sent has a line for it.
    const [mail] = await mailsTo(bindings.TEST_MAIL_INBOX_URL, ops, /Zoho sync: 1 possible duplicate contact/);
    expect(mail.text).toContain("Ana Reyes <ana.reyes@example.com>: Possible duplicate: 2 Zoho contacts use this email");
    expect(mail.text).toContain("/admin/customers?reason=possible_duplicate");
  });
});

describe("a job that kills the worker stops", () => {
  it("attempts count at claim; after three dead workers the customer is failed with the reason, and the job never runs again", async () => {
    const { env } = testEnv(databaseUrl, { FAILURE_WEBHOOK_URL: `${bindings.TEST_SANDBOX_URL}/__hooks/slack` });
    await connectZoho(env);
    const { customer, job } = await createCustomerWithJob(databaseUrl);
    const poison = {
      afterClaim: () => {
        throw new SimulatedCrash("poison: this customer's job kills the worker");
      },
    };
    for (let i = 1; i <= 3; i++) {
      const app = createAppServices(env);
      await handleSyncBatch(createMessageBatch("cangoods-zoho-sync", [{ id: `m${i}`, timestamp: new Date(), attempts: 1, body: { jobId: job.id } }]), app, poison);
      await app.close();
      expect((await loadCustomer(databaseUrl, customer.id)).jobs[0].attempts).toBe(i);
      await expireLease(databaseUrl, job.id);
      await runCron(env);
    }
    const { customer: after, jobs, events } = await loadCustomer(databaseUrl, customer.id);
    expect(after).toMatchObject({ zohoSyncStatus: "failed", zohoSyncError: WORKER_STOPPED_MESSAGE, zohoSyncAttempts: 3 });
    expect(WORKER_STOPPED_MESSAGE).toMatch(/the sync worker stopped 3 times on this customer/i);
    expect(jobs[0].processedAt).not.toBeNull();
    expect(events.at(-1)).toMatchObject({ action: "recover", outcome: "failed" });
    expect((await sandbox().webhooks()).some((h) => String(h.body.text).includes("stopped 3 times"))).toBe(true);
    await sandbox().clearCalls();
    await deliver(env, [job.id]);
    expect(await sandbox().calls()).toHaveLength(0);
  });
});

describe("outages are not admin work", () => {
  it("a quiet shop: one customer's failure during an outage asks Zoho once more, the failed probe pauses sync, nobody fails; when Zoho answers every waiting job is sent at once, also those queued during the outage", async () => {
    const { env, queue } = testEnv(databaseUrl, { FAILURE_WEBHOOK_URL: `${bindings.TEST_SANDBOX_URL}/__hooks/slack` });
    await connectZoho(env);
    await sandbox().addFault({ path: "/books/v3/contacts", status: 503, code: 1 });
    const [first, ...later] = await Promise.all(Array.from({ length: 3 }, () => createCustomerWithJob(databaseUrl)));
    await sandbox().clearCalls();
    await deliver(env, [first.job.id]);
    // One failure is enough: the health probe (one more cheap call) failed too, so sync paused.
    expect((await loadCustomer(databaseUrl, first.customer.id)).customer).toMatchObject({ zohoSyncStatus: "pending", zohoSyncAttempts: 0, zohoSyncError: OUTAGE_WAIT_MESSAGE });
    const probes = (await sandbox().calls()).filter((c) => c.method === "GET" && c.query.per_page === "1");
    expect(probes).toHaveLength(1);
    const [health] = (await sql(databaseUrl, "select paused, next_probe_at from zoho_sync_health")) as Array<{ paused: boolean; next_probe_at: string }>;
    expect(health.paused).toBe(true);
    // Two more registrations during the outage: sent to the queue as registration sends them, their messages
    // arrive while sync is paused and are left alone (the jobs stay marked as sent).
    const app = createAppServices(env);
    expect(await sendJobs(app, later.map((p) => p.job.id), "registration")).toBe(true);
    await app.close();
    await deliver(env, later.map((p) => p.job.id));
    for (const p of [first, ...later]) expect((await loadCustomer(databaseUrl, p.customer.id)).customer).toMatchObject({ zohoSyncStatus: "pending", zohoSyncAttempts: 0 });
    expect((await sandbox().webhooks()).filter((h) => String(h.body.text).includes("Zoho Books unavailable since"))).toHaveLength(1);

    // Zoho is back. The first probe's message arrives when it is due (a real minute after the pause: no clock is moved).
    await sandbox().clearFaults();
    const probeIndex = queue.delays.findIndex((d) => d !== undefined && d >= 60);
    expect(probeIndex).toBeGreaterThanOrEqual(0);
    await new Promise((r) => setTimeout(r, Math.max(0, new Date(health.next_probe_at).getTime() - Date.now()) + 200));
    const before = queue.sent.length;
    const probedAt = Date.now();
    await deliver(env, [queue.sent[probeIndex].jobId]);
    // The probe's answer resumes sync; the job that carried it runs, and every other waiting job is on the queue within 5 s.
    await vi.waitFor(() => expect(new Set(queue.sent.slice(before).map((m) => m.jobId))).toEqual(new Set(later.map((p) => p.job.id))), { timeout: 5_000, interval: 50 });
    expect(Date.now() - probedAt).toBeLessThan(5_000);
    expect((await loadCustomer(databaseUrl, first.customer.id)).customer.zohoSyncStatus).toBe("synced");
    await deliver(env, later.map((p) => p.job.id));
    for (const p of later) expect((await loadCustomer(databaseUrl, p.customer.id)).customer).toMatchObject({ zohoSyncStatus: "synced", zohoSyncAttempts: 1 });
  }, 120_000);

  it("a Zoho outage pauses sync at the first failure without spending attempts, alerts once, probes at growing intervals, and everyone syncs after it", async () => {
    const { env } = testEnv(databaseUrl, { FAILURE_WEBHOOK_URL: `${bindings.TEST_SANDBOX_URL}/__hooks/slack` });
    await connectZoho(env);
    await sandbox().addFault({ path: "/books/v3/contacts", status: 503, code: 1 });
    const people = await Promise.all(Array.from({ length: PAUSE_AFTER_JOBS + 2 }, () => createCustomerWithJob(databaseUrl)));
    for (const p of people) await deliver(env, [p.job.id]);

    for (const [i, p] of people.entries()) {
      const { customer, jobs } = await loadCustomer(databaseUrl, p.customer.id);
      expect(customer).toMatchObject({ zohoSyncStatus: "pending", zohoSyncAttempts: 0 });
      expect(jobs[0].attempts).toBe(0);
      // The first ran into the outage and says why it waits; its health probe failed too, so the later ones were not even tried.
      if (i === 0) expect(customer.zohoSyncError).toBe(OUTAGE_WAIT_MESSAGE);
    }
    let hooks = await sandbox().webhooks();
    expect(hooks.filter((h) => String(h.body.text).includes("Zoho Books unavailable since"))).toHaveLength(1);
    const app = createAppServices(env);
    expect((await dashboard(app)).outage).toMatchObject({ paused: true });
    await app.close();
    const page = await (await (await signedIn(env, databaseUrl, "admin")).get("/admin")).text();
    expect(page).toMatch(/Zoho unavailable since [A-Z][a-z]{2} \d{1,2}, \d{4}, .* PHT\./);

    // A long outage: probes fail, at growing intervals, and nobody is failed.
    const { env: cronEnv, queue } = testEnv(databaseUrl);
    for (let i = 0; i < 4; i++) {
      await sql(databaseUrl, "update zoho_sync_health set next_probe_at = now() - interval '1 second'");
      await runCron(cronEnv);
    }
    const [{ probe_delay_ms }] = (await sql(databaseUrl, "select probe_delay_ms from zoho_sync_health")) as Array<{ probe_delay_ms: number }>;
    expect(probe_delay_ms).toBeGreaterThan(60_000);
    expect(queue.sent).toHaveLength(0);

    // Zoho is back: the next probe resumes sync by itself and every waiting customer is sent and synced.
    await sandbox().clearFaults();
    await sql(databaseUrl, "update zoho_sync_health set next_probe_at = now() - interval '1 second'");
    await runCron(cronEnv);
    expect(new Set(queue.sent.map((m) => m.jobId))).toEqual(new Set(people.map((p) => p.job.id)));
    await deliver(env, queue.sent.map((m) => m.jobId));
    for (const p of people) expect((await loadCustomer(databaseUrl, p.customer.id)).customer.zohoSyncStatus).toBe("synced");
    hooks = await sandbox().webhooks();
    expect(hooks.filter((h) => String(h.body.text).includes("unavailable"))).toHaveLength(1);
  });

  it("one customer's own failures still spend that customer's attempts (the same job failing again is not an outage)", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const { customer, job } = await createCustomerWithJob(databaseUrl);
    await sandbox().addFault({ method: "POST", path: "/books/v3/contacts", status: 500, code: 1, count: 4 });
    for (let i = 0; i < 3; i++) {
      await makeJobDue(databaseUrl, job.id);
      await deliver(env, [job.id]);
    }
    // The third failure came within the minute of the first one's health probe: nobody knows whether Zoho is down,
    // so the last attempt is kept until the next probe may run (below: that minute has passed).
    expect((await loadCustomer(databaseUrl, customer.id)).customer).toMatchObject({ zohoSyncStatus: "pending", zohoSyncAttempts: 2, zohoSyncError: UNCONFIRMED_WAIT_MESSAGE });
    await sql(databaseUrl, "update zoho_sync_health set next_probe_at = now() - interval '1 second'");
    await makeJobDue(databaseUrl, job.id);
    await deliver(env, [job.id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer).toMatchObject({ zohoSyncStatus: "failed", zohoSyncAttempts: 3 });
    expect(await openJobId(customer.id)).toBeUndefined();
  });

  it("a last attempt is never spent on a failure nobody checked: Zoho going down a few seconds after a health probe said it answered leaves the customer waiting, not failed", async () => {
    const { env, queue } = testEnv(databaseUrl);
    await connectZoho(env);
    const [unlucky, other] = await Promise.all([createCustomerWithJob(databaseUrl), createCustomerWithJob(databaseUrl)]);
    // Two everyday faults on the unlucky customer's create; the first one's health probe finds Zoho answering.
    await sandbox().addFault({ method: "POST", path: "/books/v3/contacts", status: 500, code: 1, count: 2 });
    for (let i = 0; i < 2; i++) {
      await makeJobDue(databaseUrl, unlucky.job.id);
      await deliver(env, [unlucky.job.id]);
    }
    expect((await loadCustomer(databaseUrl, unlucky.customer.id)).customer).toMatchObject({ zohoSyncStatus: "pending", zohoSyncAttempts: 2 });
    // Seconds later Zoho goes down. This minute's health probe has been made, so the failure cannot be checked now.
    await sandbox().addFault({ path: "/books/v3/contacts", status: 503, code: 1, message: "Service temporarily unavailable" });
    const [{ next_probe_at }] = (await sql(databaseUrl, "select next_probe_at from zoho_sync_health")) as Array<{ next_probe_at: string }>;
    await makeJobDue(databaseUrl, unlucky.job.id);
    const sentBefore = queue.sent.length;
    await deliver(env, [unlucky.job.id]);
    const { customer, jobs } = await loadCustomer(databaseUrl, unlucky.customer.id);
    expect(customer).toMatchObject({ zohoSyncStatus: "pending", zohoSyncAttempts: 2, zohoSyncError: UNCONFIRMED_WAIT_MESSAGE });
    const open = jobs.find((j) => !j.processedAt)!;
    expect(open.attempts).toBe(2);
    // It runs again when the next probe may: its queue message is timed for that slot.
    expect(open.scheduledFor.getTime()).toBeGreaterThanOrEqual(new Date(next_probe_at).getTime());
    expect(queue.sent.slice(sentBefore).map((m) => m.jobId)).toEqual([unlucky.job.id]);
    expect(queue.delays.at(-1)).toBeGreaterThan(30);
    const events = (await sql(databaseUrl, "select outcome from zoho_sync_events where job_id = $1 order by at", [unlucky.job.id])) as Array<{ outcome: string }>;
    expect(events.at(-1)?.outcome).toBe("waiting_health_check");
    // The slot comes: this run's failure is checked, the probe fails too, sync pauses; nobody has failed.
    await sql(databaseUrl, "update zoho_sync_health set next_probe_at = now() - interval '1 second'");
    await makeJobDue(databaseUrl, unlucky.job.id);
    await deliver(env, [unlucky.job.id, other.job.id]);
    expect((await sql(databaseUrl, "select paused from zoho_sync_health")) as Array<{ paused: boolean }>).toEqual([{ paused: true }]);
    expect((await loadCustomer(databaseUrl, unlucky.customer.id)).customer).toMatchObject({ zohoSyncStatus: "pending", zohoSyncAttempts: 2, zohoSyncError: OUTAGE_WAIT_MESSAGE });
    expect((await loadCustomer(databaseUrl, other.customer.id)).customer).toMatchObject({ zohoSyncStatus: "pending", zohoSyncAttempts: 0 });
  });
});

describe("bulk recovery", () => {
  it("Retry all failed sends today's affordable share now, spreads the rest over the next days, and says when all will be done", async () => {
    const { env, queue } = testEnv(databaseUrl);
    await connectZoho(env);
    const people = await Promise.all(Array.from({ length: 5 }, () => createCustomerWithJob(databaseUrl, { returning: true })));
    for (const p of people) await deliver(env, [p.job.id]);
    for (const p of people) expect((await loadCustomer(databaseUrl, p.customer.id)).customer.zohoSyncStatus).toBe("failed");
    // Today's sync budget has room for two more jobs (3 calls reserved each); the cap is 500 − 50.
    await sql(databaseUrl, "update zoho_api_ledger set total = 444, sync = 444 where day = (now() at time zone 'utc')::date");

    const app = createAppServices(env);
    const before = await dashboard(app);
    expect(before.retryAllEta).toMatchObject({ jobs: 5 });
    expect(new Date(before.retryAllEta.finishesAt!).getTime()).toBeGreaterThan(Date.now());
    const result = await retryAllFailed(app, adminId);
    const after = await dashboard(app);
    await app.close();

    expect(result).toMatchObject({ total: 5, sentNow: 2 });
    expect(queue.sent).toHaveLength(2);
    const tomorrow = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 1);
    expect(result.eta.finishesAt!.getTime()).toBeGreaterThanOrEqual(tomorrow);
    const jobs = await openJobSchedules(databaseUrl);
    expect(jobs.filter((j) => new Date(j.scheduled_for).getTime() >= tomorrow)).toHaveLength(3);
    for (const p of people) expect((await loadCustomer(databaseUrl, p.customer.id)).customer).toMatchObject({ zohoSyncStatus: "pending", zohoSyncAttempts: 0 });
    expect(after.counts.failed).toBe(0);
    expect(after.backlogEta).toMatchObject({ jobs: 5 });
    expect(new Date(after.backlogEta.finishesAt!).getTime()).toBeGreaterThanOrEqual(tomorrow);
  });

  it("Retry all failed shows its plan and asks first (no JavaScript needed); customers an admin unlinked are left out and keep their reason", async () => {
    const { env, queue } = testEnv(databaseUrl);
    await connectZoho(env);
    const people = await Promise.all(Array.from({ length: 3 }, () => createCustomerWithJob(databaseUrl, { returning: true })));
    for (const p of people) await deliver(env, [p.job.id]);
    const linked = await createCustomerWithJob(databaseUrl, { verified: true });
    await deliver(env, [linked.job.id]);
    const app = createAppServices(env);
    await unlinkContact(app, linked.customer.id, adminId);
    await app.close();
    const a = await signedIn(env, databaseUrl, "admin");

    const dashboardPage = await (await a.get("/admin")).text();
    expect(dashboardPage).toContain("Retry all failed (3)");
    expect(dashboardPage).toContain("1 customer an admin unlinked is left out and keeps the reason.");
    // The button is a link to the confirmation step: one click does nothing yet.
    expect(queue.sent).toHaveLength(0);
    const confirmStep = await (await a.get("/admin?confirm=retry_all")).text();
    expect(confirmStep).toContain("Retry 3 customers? Each failed customer gets a fresh start");
    expect(confirmStep).toContain("all 3 now, within today&#x27;s sync budget");
    expect(confirmStep).toContain("Yes, retry 3 customers");

    const stale = await a.post("/admin?index", { intent: "retry_all_failed", expected: "4" });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain("changed to 3");
    expect(queue.sent).toHaveLength(0);
    expect((await a.post("/admin?index", { intent: "retry_all_failed", expected: "3" })).status).toBe(302);
    expect(new Set(queue.sent.map((m) => m.jobId))).toHaveLength(3);
    for (const p of people) expect((await loadCustomer(databaseUrl, p.customer.id)).customer).toMatchObject({ zohoSyncStatus: "pending", zohoSyncAttempts: 0 });
    expect((await loadCustomer(databaseUrl, linked.customer.id)).customer).toMatchObject({ zohoSyncStatus: "failed", zohoReviewReason: "unlinked" });
    expect(await openJobId(linked.customer.id)).toBeUndefined();
  });
});
