// The admin list's and dashboard's per-status counts come from a counter table kept by triggers on customers:
// it must equal a real count after every kind of write any module makes.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { listCustomers, listPage, statusCounts } from "~/admin/customer-list.server";
import { ListQuerySchema } from "~/admin/customer-list";
import { freshDatabase, resetDatabase, sql, testDb } from "./support/database";
import { createCustomerWithJob } from "./support/factories";
import { signedIn } from "./support/sign-in";
import { testEnv } from "./support/worker-env";

let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await freshDatabase();
});
beforeEach(async () => {
  await resetDatabase(databaseUrl);
});

const counted = async (where = "true") =>
  (await sql(databaseUrl, `select zoho_sync_status as s, count(*)::int as n from customers where ${where} group by 1 order by 1`)) as Array<{ s: string; n: number }>;
const kept = async (where = "true") =>
  (await sql(databaseUrl, `select zoho_sync_status as s, sum(n)::int as n from customer_status_counts where ${where} group by 1 having sum(n) <> 0 order by 1`)) as Array<{ s: string; n: number }>;

async function expectCountsTrue() {
  expect(await kept()).toEqual(await counted());
  expect(await kept("is_returning_customer")).toEqual(await counted("is_returning_customer"));
  expect(await kept("not is_returning_customer")).toEqual(await counted("not is_returning_customer"));
}

const insertMany = (n: number) =>
  sql(databaseUrl, `
    insert into customers (first_name, last_name, email, phone, delivery_method, is_returning_customer, zoho_sync_status)
    select 'First' || g, 'Last' || g, 'c' || g || '-' || gen_random_uuid() || '@count.example', '+639170000000', 'pickup', g % 3 = 0,
      (array['pending','synced','synced','failed','skipped','manual','syncing'])[1 + g % 7]
    from generate_series(1, ${n}) g`);

describe("customer counts per status", () => {
  it("stay equal to a real count after bulk and single inserts, status and type changes, and deletes", async () => {
    await insertMany(700);
    await createCustomerWithJob(databaseUrl);
    await createCustomerWithJob(databaseUrl, { returning: true });
    await expectCountsTrue();
    await sql(databaseUrl, "update customers set zoho_sync_status = 'pending' where zoho_sync_status = 'failed'");
    await sql(databaseUrl, "update customers set zoho_sync_status = 'synced', is_returning_customer = not is_returning_customer where first_name like 'First1%'");
    await sql(databaseUrl, "update customers set phone = '+639171111111' where first_name like 'First2%'"); // no status change
    await expectCountsTrue();
    await sql(databaseUrl, "delete from customers where first_name like 'First3%' or zoho_sync_status = 'manual'");
    await expectCountsTrue();
    // Parallel writers (registrations and sync workers on separate connections).
    await Promise.all([
      insertMany(50),
      sql(databaseUrl, "update customers set zoho_sync_status = 'syncing' where zoho_sync_status = 'pending'"),
      insertMany(50),
      sql(databaseUrl, "delete from customers where first_name = 'First5'"),
    ]);
    await expectCountsTrue();
    await sql(databaseUrl, "truncate customers cascade");
    expect(await kept()).toEqual([]);
  });

  it("the list's chips come from the kept counts (with the type filter), and a search counts its matches, flagged when capped", async () => {
    await insertMany(1200);
    const { db, close } = testDb(databaseUrl);
    const all = await statusCounts(db, ListQuerySchema.parse({}));
    const real = Object.fromEntries((await counted()).map((r) => [r.s, r.n]));
    expect(all).toMatchObject({ ...real, all: 1200, atLeast: false });
    const returning = await statusCounts(db, ListQuerySchema.parse({ type: "returning" }));
    expect(returning.all).toBe(400);
    const search = await statusCounts(db, ListQuerySchema.parse({ q: "last11" }));
    expect(search).toMatchObject({ all: 111, atLeast: false });
    const common = await statusCounts(db, ListQuerySchema.parse({ q: "count.example" }));
    expect(common.atLeast).toBe(true);
    await close();
    const admin = await signedIn(testEnv(databaseUrl).env, databaseUrl, "admin");
    expect(await (await admin.get("/admin/customers?q=count.example")).text()).toContain("All (1001+)");
    expect(await (await admin.get("/admin/customers")).text()).toContain("All (1200)");
  });

  it("a search lists and counts the same customers whichever way it is read (through the word index, or walking the order's index)", async () => {
    await insertMany(1200);
    // 40 registration times, so many customers share one: the order then rests on the id as well.
    await sql(databaseUrl, "update customers set created_at = now() - ((substr(first_name, 6)::int % 40) || ' minutes')::interval");
    const { db, close } = testDb(databaseUrl);
    try {
      for (const params of [{ q: "count" }, { q: "first1" }, { q: "last11", sort: "name" }, { q: "count", sort: "oldest" }, { q: "example", status: "synced", sort: "name" }]) {
        const query = ListQuerySchema.parse(params);
        const viaWords = await listCustomers(db, query, { read: "words" });
        const viaOrder = await listCustomers(db, query, { read: "order" });
        expect(viaWords.rows.map((r) => r.id), JSON.stringify(params)).toEqual(viaOrder.rows.map((r) => r.id));
        expect(viaWords.next).toEqual(viaOrder.next);
        if (viaOrder.next) {
          const next = ListQuerySchema.parse({ ...params, after: viaOrder.next });
          expect((await listCustomers(db, next, { read: "words" })).rows.map((r) => r.id)).toEqual((await listCustomers(db, next, { read: "order" })).rows.map((r) => r.id));
        }
        // The chips count the same either way (all of them below the cap; at least the cap above it).
        const [countWords, countOrder] = [await statusCounts(db, query, { read: "words" }), await statusCounts(db, query, { read: "order" })];
        expect(countOrder.all, JSON.stringify(params)).toBe(countWords.all);
        if (!countWords.atLeast) expect(countOrder).toEqual(countWords);
      }
      // The page as the loader reads it: counts first, then the rows the chosen way.
      const { page, counts } = await listPage(db, ListQuerySchema.parse({ q: "last11" }));
      expect(counts).toMatchObject({ all: 111, atLeast: false });
      expect(page.rows).toHaveLength(25);
      expect(page.rows.every((r) => r.lastName.startsWith("Last11"))).toBe(true);
    } finally {
      await close();
    }
  });
});
