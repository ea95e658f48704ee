// The admin console through the real Worker: list, detail actions, dashboard and backfill.
import { describe, expect, it } from "vitest";
import { customers } from "~/db/schema";
import { browser } from "./support/browser";
import { signedIn } from "./support/sign-in";
import { sql, testDb } from "./support/database";
import { createCustomerWithJob, loadCustomer } from "./support/factories";
import { jobsPerDayAhead } from "./support/jobs";
import { deliver } from "./support/queue-delivery";
import { testEnv } from "./support/worker-env";
import { connectZoho } from "./support/zoho-sandbox";
import { freshWorldPerTest } from "./support/fresh-world";

let databaseUrl: string;
freshWorldPerTest((url) => (databaseUrl = url));

const admin = (env: ReturnType<typeof testEnv>["env"]) => signedIn(env, databaseUrl, "admin");

async function insertCustomers(n: number, values: Partial<typeof customers.$inferInsert> = {}) {
  const { db, close } = testDb(databaseUrl);
  try {
    const base = Date.parse("2026-01-01T00:00:00Z");
    return await db
      .insert(customers)
      .values(
        Array.from({ length: n }, (_, i) => ({
          firstName: `First${i}`,
          lastName: `Last${i}`,
          email: `person${i}-${crypto.randomUUID().slice(0, 6)}@list.example`,
          phone: "+639171234567",
          deliveryMethod: "pickup",
          createdAt: new Date(base + i * 60_000),
          ...values,
        })),
      )
      .returning();
  } finally {
    await close();
  }
}

const rowsOf = (html: string) => Math.max(0, (html.match(/<tr>/g) ?? []).length - 1); // minus the header row
const count = (html: string, id: string) => Number(html.match(new RegExp(`data-testid="${id}"[^>]*>(?:<p class="stat">)?(\\d+)`))?.[1]);

describe("customer list", () => {
  it("pages through customers 25 at a time with next and previous links", async () => {
    const { env } = testEnv(databaseUrl);
    await insertCustomers(30);
    const b = await admin(env);
    const first = await (await b.get("/admin/customers")).text();
    expect(rowsOf(first)).toBe(25);
    expect(first).toContain("First29 Last29"); // newest first
    const next = first.match(/href="(\/admin\/customers\?after=[^"]+)"/)![1].replaceAll("&amp;", "&");
    const second = await (await b.get(next)).text();
    expect(rowsOf(second)).toBe(5);
    expect(second).toContain("First0 Last0");
    const prev = second.match(/href="(\/admin\/customers\?before=[^"]+)"/)![1].replaceAll("&amp;", "&");
    const back = await (await b.get(prev)).text();
    expect(rowsOf(back)).toBe(25);
    expect(back).toContain("First29 Last29");
  });

  it("sorts by last name with keyset pages in both directions", async () => {
    const { env } = testEnv(databaseUrl);
    await insertCustomers(30);
    const b = await admin(env);
    const names = (html: string) => [...html.matchAll(/<td>First\d+ (Last\d+)<\/td>/g)].map((m) => m[1]);
    const first = await (await b.get("/admin/customers?sort=name")).text();
    const expected = Array.from({ length: 30 }, (_, i) => `Last${i}`).sort((a, c) => a.toLowerCase().localeCompare(c.toLowerCase(), "en", { sensitivity: "base" }));
    expect(names(first)).toEqual(expected.slice(0, 25));
    const next = first.match(/href="(\/admin\/customers\?[^"]*after=[^"]+)"/)![1].replaceAll("&amp;", "&");
    expect(next).toContain("sort=name");
    const second = await (await b.get(next)).text();
    expect(names(second)).toEqual(expected.slice(25));
    const prev = second.match(/href="(\/admin\/customers\?[^"]*before=[^"]+)"/)![1].replaceAll("&amp;", "&");
    expect(names(await (await b.get(prev)).text())).toEqual(expected.slice(0, 25));
  });

  it("filters by status and type, searches by name or email, and shows counts per status", async () => {
    const { env } = testEnv(databaseUrl);
    await insertCustomers(3, { zohoSyncStatus: "failed", isReturningCustomer: true });
    await insertCustomers(2, { zohoSyncStatus: "synced" });
    await insertCustomers(1, { firstName: "Zenaida", lastName: "Uniquename", email: "zen@search.example" });
    const b = await admin(env);
    const failed = await (await b.get("/admin/customers?status=failed")).text();
    expect(rowsOf(failed)).toBe(3);
    expect(failed).toContain("Failed (3)");
    expect(failed).toContain("Synced (2)");
    expect(rowsOf(await (await b.get("/admin/customers?type=returning")).text())).toBe(3);
    const byName = await (await b.get("/admin/customers?q=uniquename")).text();
    expect(rowsOf(byName)).toBe(1);
    expect(byName).toContain("zen@search.example");
    expect(rowsOf(await (await b.get("/admin/customers?q=ZEN%40SEARCH")).text())).toBe(1);
    // A search that matches nothing says so and offers a way back.
    const none = await (await b.get("/admin/customers?q=nobody-at-all")).text();
    expect(none).toContain("No customers match these filters");
    // Nonsense parameters are ignored rather than breaking the page.
    expect((await b.get("/admin/customers?status=bogus&sort=sideways&after=%%%")).status).toBe(200);
  });

  it("matches the beginnings of words of the name and email, every word typed, and nothing for punctuation alone", async () => {
    const { env } = testEnv(databaseUrl);
    await insertCustomers(3);
    await insertCustomers(1, { firstName: "Maria", lastName: "dela Santos-Reyes", email: "m.santos+shop@mail.example" });
    const b = await admin(env);
    for (const q of ["mar san", "REYES", "santos maria", "m.santos", "shop", "mail.example"])
      expect(rowsOf(await (await b.get(`/admin/customers?q=${encodeURIComponent(q)}`)).text()), q).toBe(1);
    // The middle of a word is not a beginning; a second word narrows the search.
    for (const q of ["aria", "antos", "maria nobody"])
      expect(rowsOf(await (await b.get(`/admin/customers?q=${encodeURIComponent(q)}`)).text()), q).toBe(0);
    expect(rowsOf(await (await b.get("/admin/customers?q=%25")).text())).toBe(0);
    expect((await (await b.get("/admin/customers?q=%25")).text())).toContain("No customers match");
  });
});

describe("customer detail", () => {
  it("links a candidate for a customer in review and records who did it", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const { customer, job } = await createCustomerWithJob(databaseUrl, { returning: true, email: "shared@example.com" });
    await deliver(env, [job.id]);
    const b = await admin(env);
    const page = await (await b.get(`/admin/customers/${customer.id}`)).text();
    expect(page).toContain("Possible matches");
    const candidate = (await loadCustomer(databaseUrl, customer.id)).customer.zohoSyncCandidates![1];
    const res = await b.post(`/admin/customers/${customer.id}`, { intent: "link", contactId: candidate.contactId });
    expect(res.status).toBe(302);
    const after = await (await b.get(`/admin/customers/${customer.id}`)).text();
    expect(after).toContain(`Linked to ${candidate.contactName}`);
    const { customer: c, events } = await loadCustomer(databaseUrl, customer.id);
    expect(c).toMatchObject({ zohoSyncStatus: "manual", zohoContactId: candidate.contactId, zohoSyncCandidates: null });
    expect(events.at(-1)).toMatchObject({ action: "admin_link", outcome: "manual" });
  });

  it("searches Zoho live and links a result; an unknown contact id is refused with a clear message", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const { customer } = await createCustomerWithJob(databaseUrl, { returning: true });
    const b = await admin(env);
    const results = await (await b.get(`/admin/customers/${customer.id}?zq=juan%40example.com`)).text();
    expect(results).toContain("Juan Dela Cruz");
    // Part of an address is enough for an admin: Zoho's email_contains, not the exact email filter.
    expect(await (await b.get(`/admin/customers/${customer.id}?zq=ana.reyes%40`)).text()).toContain("Ana Reyes");
    const id = results.match(/name="contactId" value="(\d+)"/)![1];
    const bad = await b.post(`/admin/customers/${customer.id}`, { intent: "link", contactId: "999999999" });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain("Zoho Books has no contact with id 999999999");
    const notNumber = await b.post(`/admin/customers/${customer.id}`, { intent: "link", contactId: "abc" });
    expect(notNumber.status).toBe(400);
    expect((await loadCustomer(databaseUrl, customer.id)).customer.zohoSyncStatus).toBe("pending");
    expect((await b.post(`/admin/customers/${customer.id}`, { intent: "link", contactId: id })).status).toBe(302);
    const { customer: c, jobs } = await loadCustomer(databaseUrl, customer.id);
    expect(c).toMatchObject({ zohoSyncStatus: "manual", zohoContactName: "Juan Dela Cruz" });
    expect(jobs.every((j) => j.processedAt !== null)).toBe(true); // nothing left to re-link it automatically
    const [ledger] = (await sql(databaseUrl, "select admin from zoho_api_ledger")) as Array<{ admin: number }>;
    expect(ledger.admin).toBeGreaterThanOrEqual(2);
  });

  it("unlinks a linked customer, explains the new state, and retry syncs it again", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const { customer, job } = await createCustomerWithJob(databaseUrl, { returning: true, verified: true, email: "ana.reyes@example.com", firstName: "Ana", lastName: "Reyes" });
    await deliver(env, [job.id]);
    const b = await admin(env);
    expect(await (await b.get(`/admin/customers/${customer.id}`)).text()).toContain("Open in Zoho Books");
    await b.post(`/admin/customers/${customer.id}`, { intent: "unlink" });
    const page = await (await b.get(`/admin/customers/${customer.id}`)).text();
    expect(page).toContain("Unlinked. The customer is marked failed");
    expect((await loadCustomer(databaseUrl, customer.id)).customer).toMatchObject({ zohoSyncStatus: "failed", zohoContactId: null });
    const { env: retryEnv, queue } = testEnv(databaseUrl);
    const b2 = browser(retryEnv);
    b2.jar.clear();
    for (const [k, v] of b.jar) b2.jar.set(k, v);
    expect((await b2.post(`/admin/customers/${customer.id}`, { intent: "retry" })).status).toBe(302);
    await deliver(env, queue.sent.map((m) => m.jobId));
    expect((await loadCustomer(databaseUrl, customer.id)).customer).toMatchObject({ zohoSyncStatus: "synced", zohoMatchType: "email" });
  });

  it("an unknown customer id is a 404 page", async () => {
    const { env } = testEnv(databaseUrl);
    const b = await admin(env);
    expect((await b.get(`/admin/customers/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await b.get(`/admin/customers/not-a-uuid`)).status).toBe(404);
  });
});

describe("dashboard and backfill", () => {
  it("shows counts, jobs, today's calls and a banner for customers needing attention", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    await insertCustomers(2, { zohoSyncStatus: "failed" });
    await insertCustomers(1, { zohoSyncStatus: "skipped" });
    const { job } = await createCustomerWithJob(databaseUrl);
    await createCustomerWithJob(databaseUrl);
    await deliver(env, [job.id]);
    const html = await (await (await admin(env)).get("/admin")).text();
    expect(count(html, "count-failed")).toBe(2);
    expect(count(html, "count-synced")).toBe(1);
    expect(count(html, "count-pending")).toBe(1);
    expect(count(html, "count-skipped")).toBe(1);
    expect(count(html, "jobs-due")).toBe(1);
    // One new customer synced: its email looked up, then the contact created (create-policy.ts).
    expect(count(html, "calls-today")).toBe(2);
    expect(html).toContain("2 failed");
    expect(html).toContain("1 waiting for review");
  });

  it("says plainly when Zoho must be reconnected", async () => {
    const { env } = testEnv(databaseUrl);
    const html = await (await (await admin(env)).get("/admin")).text();
    expect(html).toContain("Zoho Books is not connected.");
    expect(html).toMatch(/<form[^>]*action="\/admin\/zoho"[\s\S]*?name="intent" value="connect"/);
  });

  it("backfill queues customers that were never synced, spread over days within the budget", async () => {
    const { env, queue } = testEnv(databaseUrl, { ZOHO_DAILY_CALL_LIMIT: "40", ZOHO_ORDERS_DAILY_SHARE: "5", ZOHO_ADMIN_DAILY_SHARE: "5" });
    await connectZoho(env);
    await insertCustomers(25);
    const b = await admin(env);
    expect(await (await b.get("/admin")).text()).toContain("25 customers have never been queued");
    expect((await b.post("/admin?index", { intent: "backfill" })).status).toBe(302);
    const days = await jobsPerDayAhead(databaseUrl);
    expect(days).toEqual([{ d: 0, n: 10 }, { d: 1, n: 10 }, { d: 2, n: 5 }]); // (40 − 10) / 3 = 10 a day
    expect(queue.sent).toHaveLength(10); // today's share went straight to the queue
    const html = await (await b.get("/admin")).text();
    expect(html).toContain("Last backfill: 0 of 25 processed");
    expect(html).toContain("0 customers have never been queued");
  });
});

describe("authorisation", () => {
  it.each(["/admin", "/admin/customers", "/admin/zoho", `/admin/customers/${crypto.randomUUID()}`])(
    "%s refuses anonymous visitors (sign-in) and customers (403)",
    async (path) => {
      const { env } = testEnv(databaseUrl);
      const anon = await browser(env).get(path);
      expect(anon.status).toBe(302);
      expect(anon.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
      expect((await (await signedIn(env, databaseUrl, "customer")).get(path)).status).toBe(403);
    },
  );

  it.each([
    ["/admin?index", { intent: "backfill" }],
    ["/admin/zoho", { intent: "disconnect" }],
    [`/admin/customers/${crypto.randomUUID()}`, { intent: "unlink" }],
  ])("POST %s refuses customers", async (path, fields) => {
    const { env } = testEnv(databaseUrl);
    expect((await (await signedIn(env, databaseUrl, "customer")).post(path, fields)).status).toBe(403);
  });
});
