// Daily Zoho budget shares (sync, order history, admin searches) that cannot take from each other, and the
// order history's own limits: per-customer cap, page cache, never a page past has_more_page.
import { describe, expect, it } from "vitest";
import { parseEnv } from "~/env.server";
import { ZohoClient } from "~/zoho/client.server";
import { ZohoError } from "~/zoho/errors";
import { remainingToday, reserveCalls } from "~/zoho/ledger.server";
import { sql, testDb } from "./support/database";
import { signedInAsLinkedAna } from "./support/linked-customer";
import { createCustomerWithJob, loadCustomer } from "./support/factories";
import { deliver } from "./support/queue-delivery";
import { signedIn } from "./support/sign-in";
import { testEnv } from "./support/worker-env";
import { connectZoho, sandbox } from "./support/zoho-sandbox";
import { freshWorldPerTest } from "./support/fresh-world";

type Env = ReturnType<typeof testEnv>["env"];
let databaseUrl: string;
freshWorldPerTest((url) => (databaseUrl = url));

const anaSignedIn = (env: Env) => signedInAsLinkedAna(env, databaseUrl);

const invoiceCalls = async () => (await sandbox().calls()).filter((c) => c.path === "/books/v3/invoices").length;
const ledger = async () => ((await sql(databaseUrl, "select total, sync, invoice, admin from zoho_api_ledger")) as Array<Record<string, number>>)[0];
const expireCache = () => sql(databaseUrl, "update zoho_invoice_cache set fetched_at = now() - interval '1 hour'");
const page = async (b: Awaited<ReturnType<typeof anaSignedIn>>, qs = "") => (await b.get(`/account/orders${qs}`)).text();

describe("order history cannot take from sync's share", () => {
  it("a customer reloading and paging all day spends only the order-history share; sync's budget is unchanged and sync still runs", async () => {
    const { env } = testEnv(databaseUrl, {
      ZOHO_DAILY_CALL_LIMIT: "100", ZOHO_ORDERS_DAILY_SHARE: "4", ZOHO_ADMIN_DAILY_SHARE: "6", ZOHO_ORDERS_CALLS_PER_CUSTOMER: "50",
    });
    const limits = parseEnv(env);
    const b = await anaSignedIn(env);
    const { db, close } = testDb(databaseUrl);
    const syncBefore = await remainingToday(db, limits, "sync");
    expect(syncBefore).toBe(90);
    await sandbox().clearCalls();
    for (let round = 0; round < 6; round++) {
      for (let n = 1; n <= 6; n++) await page(b, `?page=${n}`);
      await expireCache();
    }
    expect(await invoiceCalls()).toBe(4);
    expect(await ledger()).toMatchObject({ invoice: 4, sync: 0, admin: 0 });
    expect(await remainingToday(db, limits, "sync")).toBe(syncBefore);
    const refusedPage = await page(b);
    expect(refusedPage).toContain("Order history has been refreshed as often as we can today");

    const { customer, job } = await createCustomerWithJob(databaseUrl);
    await deliver(env, [job.id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer.zohoSyncStatus).toBe("synced");
    expect((await ledger()).sync).toBeGreaterThan(0);
    await close();
  });
});

describe("order history pages", () => {
  it("Zoho is never asked for a page past has_more_page, nor for a page whose previous page it has not listed", async () => {
    const { env } = testEnv(databaseUrl);
    const b = await anaSignedIn(env);
    await sandbox().clearCalls();
    expect(await page(b, "?page=2")).toContain("There are no older orders.");
    expect(await page(b, "?page=40")).toContain("There are no older orders.");
    expect(await invoiceCalls()).toBe(0);
    await page(b);
    expect(await page(b, "?page=2")).toContain("INV-");
    expect(await invoiceCalls()).toBe(2);
    await expireCache();
    expect(await page(b, "?page=3")).toContain("There are no older orders."); // page 2 said has_more = false
    expect(await invoiceCalls()).toBe(2);
  });

  it("a page number out of bounds or not a whole number is refused with the reason, without calling Zoho", async () => {
    const { env } = testEnv(databaseUrl);
    const b = await anaSignedIn(env);
    await sandbox().clearCalls();
    expect(await page(b, "?page=99999")).toContain("Pages go up to 200");
    expect(await page(b, "?page=0")).toContain("Pages start at 1");
    expect(await page(b, "?page=1.5")).toContain("Page must be a whole number");
    expect(await invoiceCalls()).toBe(0);
  });

  it("past the per-customer cap, the cached copy is shown with its date and a plain sentence; an uncached page says why it is missing", async () => {
    const { env } = testEnv(databaseUrl, { ZOHO_ORDERS_CALLS_PER_CUSTOMER: "2" });
    const b = await anaSignedIn(env);
    await sandbox().clearCalls();
    await page(b);
    await expireCache();
    await page(b);
    await expireCache();
    const capped = await page(b);
    expect(capped.match(/<td>INV-\d+<\/td>/g)).toHaveLength(25);
    expect(capped).toMatch(/Showing your orders as of [A-Z][a-z]{2} \d{1,2}, \d{4}, .+ PHT\. You have refreshed them many times today/);
    expect(await page(b, "?page=2")).toContain("You have loaded your orders many times today, so we can&#x27;t fetch more of them until tomorrow.");
    expect(await invoiceCalls()).toBe(2);
    expect(await ledger()).toMatchObject({ invoice: 2 });
  });
});

describe("admin searches have their own share", () => {
  it("admin searches spend only their share, concurrently never more, and neither order history nor sync can use it", async () => {
    const { env } = testEnv(databaseUrl, { ZOHO_DAILY_CALL_LIMIT: "100", ZOHO_ORDERS_DAILY_SHARE: "3", ZOHO_ADMIN_DAILY_SHARE: "5" });
    await connectZoho(env);
    const limits = parseEnv(env);
    const { db, close } = testDb(databaseUrl);
    // Order history used up: admin searches still work.
    await Promise.allSettled(Array.from({ length: 6 }, () => reserveCalls(db, limits, "invoice")));
    const admin = await Promise.allSettled(Array.from({ length: 12 }, () => reserveCalls(db, limits, "admin")));
    expect(admin.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    expect(await ledger()).toEqual({ total: 8, sync: 0, invoice: 3, admin: 5 });
    // Used up: a live admin search is refused before reaching Zoho, and sync's share is whole.
    await sandbox().clearCalls();
    const search = new ZohoClient({ db, env: limits, purpose: "admin" });
    const error = await search.listContacts({ contactNameContains: "Reyes" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZohoError);
    expect((error as ZohoError).kind).toBe("daily_limit");
    expect((error as ZohoError).message).toContain("share for admin searches");
    expect(await sandbox().calls()).toHaveLength(0);
    expect(await remainingToday(db, limits, "sync")).toBe(92);
    await close();
  });

  it("the dashboard shows each share's used and remaining calls", async () => {
    const { env } = testEnv(databaseUrl, { ZOHO_DAILY_CALL_LIMIT: "100", ZOHO_ORDERS_DAILY_SHARE: "3", ZOHO_ADMIN_DAILY_SHARE: "5" });
    const limits = parseEnv(env);
    const { db, close } = testDb(databaseUrl);
    for (const purpose of ["invoice", "invoice", "invoice", "admin", "sync", "sync"] as const) await reserveCalls(db, limits, purpose);
    await close();
    for (let i = 0; i < 3; i++) await createCustomerWithJob(databaseUrl);
    const b = await signedIn(env, databaseUrl, "admin");
    const html = await (await b.get("/admin")).text();
    const row = (purpose: string) => html.match(new RegExp(`data-testid="share-${purpose}">(.*?)</tr>`))?.[1].replace(/<[^>]+>/g, "|");
    expect(row("sync")).toMatch(/Customer sync\|+2\|+90\|+92/);
    expect(row("invoice")).toMatch(/Customers&#x27; order history\|+3\|+0 \(used up\)\|+3/);
    expect(row("admin")).toMatch(/Admin searches in Zoho\|+1\|+4\|+5/);
    // No job finished today: the ETA model's default of 2 calls a job (a new customer's lookup and create).
    expect(html).toMatch(/Sync backlog: 3 jobs, about 6 Zoho calls \(2.00 a job lately\); at 80 a minute within the sync share, done by <time dateTime="[^"]+">[^<]+ PHT<\/time>/);
  });
});
