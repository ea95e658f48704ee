// The mirror of Zoho's directory and invoices (issue 20, docs/decisions/036-zoho-mirror.md): its first full read
// resumes where it stopped; once complete, matching reads it (a contact made in Zoho before the last refresh is
// linked without a search, a new customer costs one call) and order history costs no call at steady state.
// Zoho calls are counted where Zoho would see them (the sandbox's call log) and in the ledger.
import { describe, expect, it } from "vitest";
import type { WorkerEnv } from "~/context.server";
import { fullReadStep, readChangesNow } from "~/zoho/mirror/read.server";
import { sql } from "./support/database";
import { createCustomerWithJob, loadCustomer } from "./support/factories";
import { linkedCustomer } from "./support/linked-customer";
import { booksCalls, completeMirror, ledger as ledgerOf, mirrorEnv as mirrorEnvOf, withApp } from "./support/mirror-world";
import { deliver, runCron } from "./support/queue-delivery";
import { connectZoho, contactsWithEmail, sandbox } from "./support/zoho-sandbox";
import { freshWorldPerTest } from "./support/fresh-world";

let databaseUrl: string;
freshWorldPerTest((url) => (databaseUrl = url));

const mirrorEnv = () => mirrorEnvOf(databaseUrl);
const ledger = () => ledgerOf(databaseUrl);

describe("the first full read", () => {
  it("reads 200 a page within its own share and, after a run that died on a page, resumes at that page", async () => {
    const env = mirrorEnv();
    await connectZoho(env);
    for (let i = 0; i < 230; i++) await sandbox().addContact({ contact_name: `Bulk ${i}`, email: `bulk${i}@mirror.example` });
    const total = (await sandbox().listContacts()).length;
    await sandbox().clearCalls();

    // The first run reads the mark and page 1; the next dies on page 2 (Zoho's 500); the one after resumes there.
    expect(await withApp(env, (app) => fullReadStep(app, 2))).toMatchObject({ pages: 2, done: false });
    await sandbox().addFault({ method: "GET", path: "/books/v3/contacts", status: 500, code: 1, count: 1 });
    expect(await withApp(env, (app) => fullReadStep(app))).toMatchObject({ pages: 0, done: false });
    expect(await withApp(env, (app) => fullReadStep(app))).toMatchObject({ done: true });

    const pages = (await booksCalls()).filter((c) => c.path === "/books/v3/contacts" && c.query.sort_column === "created_time").map((c) => `${c.query.page}:${c.status}`);
    expect(pages).toEqual(["1:200", "2:500", "2:200"]); // page 1 never read twice
    expect((await booksCalls()).every((c) => c.query.per_page === "200" && (c.path !== "/books/v3/contacts" || c.query.filter_by === "Status.All"))).toBe(true);
    const [{ n }] = (await sql(databaseUrl, "select count(*)::int as n from zoho_mirror_contacts")) as Array<{ n: number }>;
    expect(n).toBe(total); // inactive contacts and vendors too
    expect(await ledger()).toMatchObject({ sync: 0, mirror: (await booksCalls()).length });

    // Then the hourly cron reads what changed: 1 call for contacts and 1 for invoices when nothing did, in the
    // mirror's share; run again within the interval, it reads nothing.
    await sandbox().clearCalls();
    await runCron(env);
    expect((await booksCalls()).map((c) => `${c.path} ${c.query.sort_column}${c.query.sort_order ? ` ${c.query.sort_order}` : ""}${c.query.last_modified_time ? " since" : ""}`)).toEqual([
      "/books/v3/contacts last_modified_time D",
      "/books/v3/invoices created_time A since",
    ]);
    await runCron(env);
    expect(await booksCalls()).toHaveLength(2);
    expect(await ledger()).toMatchObject({ sync: 0 });
  });

  it("the hourly run that completes it reads the changes since at once: the next new customer costs 1 call", async () => {
    const env = mirrorEnv();
    await connectZoho(env);
    for (let i = 0; i < 10; i++) {
      await runCron(env);
      const [state] = (await sql(databaseUrl, "select full_read_done_at from zoho_mirror_state")) as Array<{ full_read_done_at: Date | null }>;
      if (state?.full_read_done_at) break;
    }
    const [state] = (await sql(databaseUrl, "select contacts_refreshed_at is not null as read from zoho_mirror_state")) as Array<{ read: boolean }>;
    expect(state.read).toBe(true);
    // The mirror's share spent (no refresh before the decision), the sync share with room: the copy is current, so
    // the create needs no live look first.
    await sql(databaseUrl, "update zoho_api_ledger set total = total + 100 - mirror, mirror = 100");
    const pia = await createCustomerWithJob(databaseUrl, { firstName: "Pia" });
    await sandbox().clearCalls();
    await deliver(env, [pia.job.id]);
    expect((await loadCustomer(databaseUrl, pia.customer.id)).customer).toMatchObject({ zohoSyncStatus: "synced", zohoMatchType: "created" });
    expect((await booksCalls()).map((c) => `${c.method} ${c.path}`)).toEqual(["POST /books/v3/contacts"]);
  });

  it("until it completes, a returning customer is looked up live as before", async () => {
    const env = mirrorEnv();
    await connectZoho(env);
    const { customer, job } = await createCustomerWithJob(databaseUrl, { returning: true, verified: true, email: "ana.reyes@example.com" });
    await sandbox().clearCalls();
    await deliver(env, [job.id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer).toMatchObject({ zohoSyncStatus: "synced", zohoMatchType: "email" });
    expect((await booksCalls()).map((c) => c.query.email)).toEqual(["ana.reyes@example.com"]);
  });
});

describe("matching reads a complete mirror", () => {
  it("a contact created in Zoho before the last refresh is found and linked without a search, not duplicated", async () => {
    const env = mirrorEnv();
    await connectZoho(env);
    await completeMirror(env);
    const made = await sandbox().addContact({ contact_name: "Nora Mirror", first_name: "Nora", last_name: "Mirror", email: "Nora.Mirror@shoppers.example" });
    await withApp(env, (app) => readChangesNow(app)); // the last refresh: it now holds Nora's contact
    const returning = await createCustomerWithJob(databaseUrl, { returning: true, verified: true, email: "nora.mirror@shoppers.example" });
    await sandbox().clearCalls();
    await deliver(env, [returning.job.id]);

    const { customer, events } = await loadCustomer(databaseUrl, returning.customer.id);
    expect(customer).toMatchObject({ zohoSyncStatus: "synced", zohoContactId: made.contact_id, zohoLinkBasis: "verified_email" });
    expect(events.at(-1)).toMatchObject({ outcome: "synced", zohoCalls: 0 });
    expect(await booksCalls()).toEqual([]);
    expect(await contactsWithEmail("nora.mirror@shoppers.example")).toHaveLength(1);
  });

  // Under budget pressure (less than half of today's sync share left) creates go without a live look
  // (create-policy.ts); a current copy still answers first.
  it.each(["with room", "under budget pressure"])("a new customer whose email Zoho already has (made before the refresh) is linked, not created again, %s", async (budget) => {
    const env = mirrorEnv();
    await connectZoho(env);
    await completeMirror(env);
    const made = await sandbox().addContact({ contact_name: "Omar Mirror", email: "omar@shoppers.example" });
    await withApp(env, (app) => readChangesNow(app));
    if (budget !== "with room") await sql(databaseUrl, "update zoho_api_ledger set sync = 300, total = total + 300");
    const fresh = await createCustomerWithJob(databaseUrl, { verified: true, email: "omar@shoppers.example" });
    await sandbox().clearCalls();
    await deliver(env, [fresh.job.id]);
    expect((await loadCustomer(databaseUrl, fresh.customer.id)).customer).toMatchObject({ zohoSyncStatus: "synced", zohoContactId: made.contact_id });
    expect(await booksCalls()).toEqual([]);
    expect(await contactsWithEmail("omar@shoppers.example")).toHaveLength(1);
  });

  it("several contacts with the email, or an inactive one, go to review as a search's answer would", async () => {
    const env = mirrorEnv();
    await connectZoho(env);
    await sandbox().addContact({ contact_name: "Twin One", email: "twin@shoppers.example" });
    await sandbox().addContact({ contact_name: "Twin Two", email: "twin@shoppers.example" });
    await sandbox().addContact({ contact_name: "Gone Quiet", email: "quiet@shoppers.example", status: "inactive" });
    await completeMirror(env);
    const twin = await createCustomerWithJob(databaseUrl, { returning: true, verified: true, email: "twin@shoppers.example" });
    const quiet = await createCustomerWithJob(databaseUrl, { returning: true, verified: true, email: "quiet@shoppers.example" });
    await sandbox().clearCalls();
    await deliver(env, [twin.job.id, quiet.job.id]);
    expect((await loadCustomer(databaseUrl, twin.customer.id)).customer).toMatchObject({ zohoSyncStatus: "skipped", zohoReviewReason: "several_matches", zohoContactId: null });
    expect((await loadCustomer(databaseUrl, quiet.customer.id)).customer).toMatchObject({ zohoSyncStatus: "skipped", zohoReviewReason: "inactive_contact", zohoContactId: null });
    expect(await booksCalls()).toEqual([]);
  });

  it("a new customer costs 1 call with a complete fresh mirror; a stale copy is refreshed once for every waiting job", async () => {
    const env = mirrorEnv();
    await connectZoho(env);
    await completeMirror(env);
    const first = await createCustomerWithJob(databaseUrl, { firstName: "Pia" });
    const before = await ledger();
    await sandbox().clearCalls();
    await deliver(env, [first.job.id]);
    expect((await loadCustomer(databaseUrl, first.customer.id)).customer).toMatchObject({ zohoSyncStatus: "synced", zohoMatchType: "created" });
    expect((await booksCalls()).map((c) => `${c.method} ${c.path}`)).toEqual(["POST /books/v3/contacts"]);
    expect((await ledger()).sync - before.sync).toBe(1);

    // The copy is older than MIRROR_FRESH_SECONDS and today's share has room: one incremental read, then the creates.
    await sql(databaseUrl, "update zoho_mirror_state set contacts_refreshed_at = now() - interval '10 minutes'");
    const two = [await createCustomerWithJob(databaseUrl), await createCustomerWithJob(databaseUrl)];
    await sandbox().clearCalls();
    await deliver(env, two.map((t) => t.job.id));
    const calls = (await booksCalls()).map((c) => `${c.method} ${c.path}${c.query.sort_order ? ` ${c.query.sort_column} ${c.query.sort_order}` : ""}`);
    expect(calls).toEqual(["GET /books/v3/contacts last_modified_time D", "POST /books/v3/contacts", "POST /books/v3/contacts"]);
    // The refresh is the mirror's (logged for the customer whose decision asked for it); the sync share paid the creates.
    expect(await ledger()).toMatchObject({ sync: before.sync + 3, mirror: before.mirror + 1 });
    const logged = (await sql(databaseUrl, "select customer_id from zoho_call_log where purpose = 'mirror' and customer_id is not null")) as Array<{ customer_id: string }>;
    expect(logged).toHaveLength(1);
    expect(two.map((t) => t.customer.id)).toContain(logged[0].customer_id);
  });

  it("with the mirror's share kept for its own reads, a stale but current copy is used as it is: 1 call, checked for free later", async () => {
    const env = mirrorEnv();
    await connectZoho(env);
    await completeMirror(env);
    // The mirror's share down to what its scheduled reads need today (at least 2 are always kept).
    await sql(databaseUrl, "update zoho_api_ledger set mirror = 99, total = total + 99 - mirror where day = (now() at time zone 'utc')::date");
    await sql(databaseUrl, "update zoho_mirror_state set contacts_refreshed_at = now() - interval '10 minutes'");
    const before = await ledger();
    const pia = await createCustomerWithJob(databaseUrl, { firstName: "Pia" });
    await sandbox().clearCalls();
    await deliver(env, [pia.job.id]);
    const loaded = await loadCustomer(databaseUrl, pia.customer.id);
    expect(loaded.customer).toMatchObject({ zohoSyncStatus: "synced", zohoMatchType: "created" });
    expect((await booksCalls()).map((c) => `${c.method} ${c.path}`)).toEqual(["POST /books/v3/contacts"]);
    expect(await ledger()).toMatchObject({ sync: before.sync + 1, mirror: before.mirror });
    // The duplicate check waits for the mirror's next hourly read and then reads the mirror (mirror-duplicate-check.test.ts).
    const check = loaded.jobs.find((j) => !j.processedAt);
    expect(check).toMatchObject({ action: "check_duplicate" });
    expect(check!.scheduledFor.getTime() - Date.now()).toBeGreaterThan(70 * 60_000);

    // A copy the scheduled reads have not refreshed for over three hours is not trusted: a live look, then the create.
    await sql(databaseUrl, "update zoho_mirror_state set contacts_refreshed_at = now() - interval '4 hours'");
    const rui = await createCustomerWithJob(databaseUrl, { firstName: "Rui" });
    await sandbox().clearCalls();
    await deliver(env, [rui.job.id]);
    expect((await booksCalls()).map((c) => `${c.method} ${c.path}${c.query.email ? " email" : ""}`)).toEqual(["GET /books/v3/contacts email", "POST /books/v3/contacts"]);
  });

  it("a returning customer known by name only: the surname is searched in the mirror, Zoho only for what the copy lacks", async () => {
    const env = mirrorEnv();
    await connectZoho(env);
    await completeMirror(env);
    // Zoho's contact carries the customer's name with other spacing and an older address: a name-only match.
    const moved = await sandbox().addContact({ contact_name: "Mona  Moved", first_name: "Mona", last_name: "Moved", email: "mona.old@shoppers.example" });
    await withApp(env, (app) => readChangesNow(app));
    const mona = await createCustomerWithJob(databaseUrl, { returning: true, verified: true, firstName: "Mona", lastName: "Moved", email: "mona.new@shoppers.example" });
    await sandbox().clearCalls();
    await deliver(env, [mona.job.id]);
    expect((await loadCustomer(databaseUrl, mona.customer.id)).customer).toMatchObject({ zohoSyncStatus: "skipped", zohoReviewReason: "name_only", zohoContactId: null });
    // The email asked live (a contact added since the copy was read), the contact's persons too (not in the copy);
    // no name search.
    const asked = async () => (await booksCalls()).map((c) => `${c.method} ${c.path}${c.query.email ? ` ${c.query.email}` : ""}${c.query.contact_name_contains ? ` name ${c.query.contact_name_contains}` : ""}`);
    expect(await asked()).toEqual(["GET /books/v3/contacts mona.new@shoppers.example", `GET /books/v3/contacts/${moved.contact_id}/contactpersons`]);

    // A contact added in Zoho since the copy was read, and no one by that surname in the copy: Zoho is searched by
    // name, so the candidate still reaches the admin.
    const late = await sandbox().addContact({ contact_name: "Lia  Latecomer", first_name: "Lia", last_name: "Latecomer", email: "lia.old@shoppers.example" });
    const lia = await createCustomerWithJob(databaseUrl, { returning: true, verified: true, firstName: "Lia", lastName: "Latecomer", email: "lia.new@shoppers.example" });
    await sandbox().clearCalls();
    await deliver(env, [lia.job.id]);
    expect((await loadCustomer(databaseUrl, lia.customer.id)).customer).toMatchObject({ zohoSyncStatus: "skipped", zohoReviewReason: "name_only" });
    expect(await asked()).toEqual([
      "GET /books/v3/contacts lia.new@shoppers.example",
      "GET /books/v3/contacts name Latecomer",
      `GET /books/v3/contacts/${late.contact_id}/contactpersons`,
    ]);
  });
});

describe("outages while the mirror decides", () => {
  it("a job decided from the mirror without a call does not end a streak of Zoho failures (the outage is still recognised)", async () => {
    const env = mirrorEnv();
    await connectZoho(env);
    await completeMirror(env);
    const made = await sandbox().addContact({ contact_name: "Quinn Mirror", email: "quinn@shoppers.example" });
    await withApp(env, (app) => readChangesNow(app));
    // Creates fail with 503: a new customer's job fails and starts a streak.
    await sandbox().addFault({ method: "POST", path: "/books/v3/contacts", status: 503, code: 1, message: "Service unavailable" });
    const failing = await createCustomerWithJob(databaseUrl);
    await deliver(env, [failing.job.id]);
    const streak = async () => ((await sql(databaseUrl, "select streak_jobs from zoho_sync_health where id = 1")) as Array<{ streak_jobs: string[] }>)[0]?.streak_jobs ?? [];
    expect(await streak()).toEqual([failing.job.id]);
    // A returning customer found in the mirror is linked without asking Zoho: the streak stands.
    const returning = await createCustomerWithJob(databaseUrl, { returning: true, verified: true, email: "quinn@shoppers.example" });
    await deliver(env, [returning.job.id]);
    expect((await loadCustomer(databaseUrl, returning.customer.id)).customer).toMatchObject({ zohoSyncStatus: "synced", zohoContactId: made.contact_id });
    expect(await streak()).toEqual([failing.job.id]);
  });
});

describe("order history from the mirror", () => {
  const linkedAna = async (env: WorkerEnv) => {
    const { b, contact: ana } = await linkedCustomer(env, databaseUrl, { connected: true });
    return { b, ana };
  };
  const invoiceRows = (html: string) => [...html.matchAll(/<td>(INV-[\w-]+)<\/td>/g)].map((m) => m[1]);

  it("makes no Zoho call at steady state; a copy older than a few minutes is refreshed by one call for everyone", async () => {
    const env = mirrorEnv();
    await connectZoho(env);
    await completeMirror(env);
    const { b, ana } = await linkedAna(env);
    await sandbox().clearCalls();
    const first = await (await b.get("/account/orders")).text();
    expect(invoiceRows(first)).toHaveLength(25);
    expect(invoiceRows(first)[0]).toBe("INV-000030");
    expect(invoiceRows(await (await b.get("/account/orders?page=2")).text())).toHaveLength(5);
    await b.get("/account/orders");
    expect(await booksCalls()).toEqual([]);

    await sandbox().addInvoice({ customer_id: ana.contact_id, invoice_number: "INV-NEW-1", date: "2027-01-01" });
    await sql(databaseUrl, "update zoho_mirror_state set invoices_refreshed_at = now() - interval '1 hour'");
    const refreshed = await (await b.get("/account/orders")).text();
    expect(invoiceRows(refreshed)[0]).toBe("INV-NEW-1");
    await b.get("/account/orders?page=2");
    expect((await booksCalls()).map((c) => c.path)).toEqual(["/books/v3/invoices"]);
    expect(await ledger()).toMatchObject({ invoice: 1 });
  });
});
