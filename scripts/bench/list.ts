// The admin customer list at scale: every list query of the page (rows + status counts, as the loader runs
// them) timed two ways: server time (the loader's queries through the production driver: Neon over the
// WebSocket proxy) and end to end over HTTP through the Worker (adds the session check and rendering).
import { neonConfig } from "@neondatabase/serverless";
import ws from "ws";
import { listPage } from "~/admin/customer-list.server";
import { ListQuerySchema } from "~/admin/customer-list";
import { openDb } from "~/db/client.server";
import type { HttpSession } from "@tools/local-stack/http-session";
import type { openNodeDb } from "@tools/local-stack/node-db";
import { quantile } from "./registration";

type Deps = { pool: ReturnType<typeof openNodeDb>["pool"]; databaseUrl: string; wsProxy: string; admin: HttpSession; log: (l: string) => void };

const QUERIES: Array<[string, Record<string, string>]> = [
  ["newest first", {}],
  ["filtered (failed)", { status: "failed" }],
  ["filtered (returning)", { type: "returning" }],
  ["searched (name/email)", { q: "customer4242" }],
  // The worst kind of search: a word every customer's email has (like "gmail" in a real shop).
  ["searched, a word everyone has", { q: "example" }],
  ["filtered + searched", { status: "synced", q: "last777" }],
  ["sorted by last name", { sort: "name" }],
];

/** Grows the customers table to `total` rows (batches of 100,000, counters kept by the triggers). */
export async function seedCustomers(deps: Pick<Deps, "pool" | "log">, total: number) {
  const { rows } = await deps.pool.query("select count(*)::int as n from customers where email like '%@scale.example'");
  const big = total - Number(rows[0].n) > 100_000;
  // A large seed builds the word index once at the end (as a restore would), not row by row.
  if (big) await deps.pool.query("drop index if exists customers_search_words_idx");
  for (let from = Number(rows[0].n) + 1; from <= total; from += 100_000) {
    const to = Math.min(total, from + 99_999);
    deps.log(`list: seeding customers ${from}–${to}`);
    await deps.pool.query(`
      insert into customers (first_name, last_name, email, phone, delivery_method, is_returning_customer, zoho_sync_status, created_at)
      select 'First' || g, 'Last' || g, 'customer' || g || '@scale.example', '+639170000000', 'pickup', g % 3 = 0,
        (array['pending','synced','synced','synced','failed','skipped','manual'])[1 + g % 7], now() - (g || ' minutes')::interval
      from generate_series(${from}, ${to}) g`);
  }
  if (big) {
    deps.log("list: building the word index");
    await deps.pool.query("set maintenance_work_mem = '256MB'");
    await deps.pool.query("create index customers_search_words_idx on customers using gin (search_words)");
  }
  await deps.pool.query("analyze customers");
}

export async function benchList(deps: Deps, customers: number, runs = 20): Promise<string[]> {
  await seedCustomers(deps, customers);
  const label = customers.toLocaleString("en-US");
  neonConfig.webSocketConstructor = ws;
  const neon = openDb(deps.databaseUrl, deps.wsProxy);
  const lines: string[] = [];
  const fmt = (v: number[]) => `p50 ${quantile(v, 0.5).toFixed(1)} ms, p95 ${quantile(v, 0.95).toFixed(1)} ms`;
  try {
    for (const [name, params] of QUERIES) {
      const query = ListQuerySchema.parse(params);
      // The second page too: keyset pagination must stay as fast as the first page.
      const first = (await listPage(neon.db, query)).page;
      const pages = [query, ...(first.next ? [ListQuerySchema.parse({ ...params, after: first.next })] : [])];
      for (const [i, q] of pages.entries()) {
        const server: number[] = [];
        const http: number[] = [];
        const qs = new URLSearchParams(Object.entries(q).filter(([, v]) => v && !(v === "newest")) as Array<[string, string]>).toString();
        for (let r = 0; r < runs; r++) {
          const t0 = performance.now();
          await listPage(neon.db, q);
          server.push(performance.now() - t0);
          const t1 = performance.now();
          const res = await deps.admin.request(`/admin/customers${qs ? `?${qs}` : ""}`);
          await res.text();
          if (res.status !== 200) throw new Error(`/admin/customers?${qs} answered ${res.status}`);
          http.push(performance.now() - t1);
        }
        lines.push(`Admin list at ${label}, ${name}${i ? ", next page" : ""} (rows + counts): server ${fmt(server)}; HTTP ${fmt(http)}`);
      }
    }
  } finally {
    await neon.close();
  }
  for (const [name, sqlText] of [
    ["list (newest first)", "select id from customers where true order by created_at desc nulls last, id desc nulls last limit 26"],
    ["list (filtered)", "select id from customers where zoho_sync_status = 'failed' order by created_at desc nulls last, id desc nulls last limit 26"],
    ["search (few matches)", "select id from customers where search_words @@ to_tsquery('simple', 'customer4242:*') order by created_at + interval '0 s' desc nulls last, id desc nulls last limit 26"],
    ["search, a word everyone has", "select id from customers where search_words @@ to_tsquery('simple', 'example:*') order by created_at desc nulls last, id desc nulls last limit 26"],
    ["sorted by name", "select id from customers where true order by lower(last_name || ' ' || first_name), id limit 26"],
    ["status counts", "select zoho_sync_status, sum(n) from customer_status_counts group by 1"],
  ]) {
    const { rows: plan } = await deps.pool.query(`explain ${sqlText}`);
    const text = plan.map((r) => String(r["QUERY PLAN"])).join("\n");
    const indexes = [...new Set(plan.map((r) => String(r["QUERY PLAN"]).match(/(?:Index|Bitmap Index) (?:Only )?Scan (?:Backward )?(?:using|on) (\w+)/)?.[1]).filter(Boolean))];
    const onCustomers = /Seq Scan on customers\b/.test(text);
    lines.push(`Query plan at ${label}, ${name}: ${indexes.length ? `uses ${indexes.join(", ")}` : onCustomers ? "SEQUENTIAL SCAN of customers" : "no customers scan"}`);
  }
  return lines;
}
