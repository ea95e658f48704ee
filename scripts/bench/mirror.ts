// The mirror of Zoho (issue 20, docs/decisions/036-zoho-mirror.md) on the shared bench stack:
//  1. Zoho calls per customer with the mirror on, per kind (new, returning found in the mirror by email, returning by
//     name only, and the live fallbacks: a contact added after the last refresh, an email on a secondary contact
//     person), registered and confirmed through the real Worker, in three budget states: room to spare with the
//     customers in a burst (refreshes shared), room to spare with the customers spread out (the copy older than
//     MIRROR_FRESH_SECONDS at every decision, as when customers come minutes apart), and under budget pressure with
//     the day's sync share driven to its end (then the deferred duplicate checks, the next budget day); from those,
//     customers a day inside the default sync share on the reference mix (mirror-figures.ts);
//  2. the first full read of 10,000 and 100,000 contacts (the sandbox preloaded in bulk): calls, time here, wall time
//     at the configured share, Postgres size of the mirror's tables;
//  3. matching time against the largest mirror: the lookup query (p50/p95, Neon driver through the proxy, as the
//     Worker runs it) and its plan, and the whole mirror read of a decision (state row + lookup);
//  4. order-history calls per 1,000 page views at steady state (the loader's function, over the mirror).
import { neonConfig } from "@neondatabase/serverless";
import ws from "ws";
import type { AppServices } from "~/context.server";
import { ordersFor } from "~/customers/orders.server";
import { openDb } from "~/db/client.server";
import { parseEnv } from "~/env.server";
import { countJobsAfterToday, countOpenJobs, makeWaitingJobsDue } from "~/sync/jobs/tooling.server";
import { ZohoClient } from "~/zoho/client.server";
import { dailyCap } from "~/zoho/ledger.server";
import { FULL_READ_PAGES_PER_RUN, fullReadStep, mirrorLookup, readChangesNow } from "~/zoho/mirror/read.server";
import { clearMirrorForBench, contactsByEmail, contactsByEmailQuery, mirrorCounts, mirrorTableSizes, updateMirrorState } from "~/zoho/mirror/store.server";
import { registerAndConfirm, type Registrant } from "@tools/local-stack/http-session";
import type { openNodeDb } from "@tools/local-stack/node-db";
import type { SandboxControl } from "@tools/zoho-sandbox/control-client";
import { customersPerDay, DEFAULT_SHARES, DEFAULT_SYNC_SHARE, fullReadWallMinutes, REFERENCE_MIX, type KindCosts } from "./mirror-figures";
import { quantile } from "./registration";

type Node = ReturnType<typeof openNodeDb>;
type Report = (name: string, value: string) => void;

/** Customers of each kind per budget state (the first three in the reference mix's proportions), and the other sizes. */
export type MirrorSize = {
  mix: { new: number; byEmail: number; byName: number; notInMirror: number; secondary: number };
  contacts: number[];
  lookups: number;
  views: number;
};
export const FULL_SIZE: MirrorSize = { mix: { new: 30, byEmail: 15, byName: 5, notInMirror: 5, secondary: 5 }, contacts: [10_000, 100_000], lookups: 400, views: 1000 };

type Deps = {
  node: Node;
  sandbox: SandboxControl;
  url: string;
  inboxUrl: string;
  databaseUrl: string;
  wsProxy: string;
  /** The Worker's variables (the bench's own Node-side reads use the same, unpaced). */
  vars: Record<string, string>;
  report: Report;
  size: MirrorSize;
};

const KINDS = ["new", "byEmail", "byName", "notInMirror", "secondary"] as const;
type AnyKind = (typeof KINDS)[number];
const PREFIX: Record<AnyKind, string> = { new: "fresh", byEmail: "ret", byName: "moved", notInMirror: "late", secondary: "person" };
const kindOf = (email: string) => KINDS.find((k) => email.startsWith(`${PREFIX[k]}.`))!;

/** The mirror's first full read done by the Worker's own hourly maintenance (what the calls suite needs too). */
export async function completeMirror(url: string, node: Node) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    await fetch(`${url}/__scheduled?cron=0+*+*+*+*`);
    const { rows } = await node.pool.query("select full_read_done_at from zoho_mirror_state where id = 1");
    if (rows[0]?.full_read_done_at) return;
    if (Date.now() > deadline) throw new Error("the mirror's first full read did not complete within 2 minutes");
    await new Promise((r) => setTimeout(r, 500));
  }
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const per = (calls: number, n: number) => (n ? (calls / n).toFixed(2) : "—");

export async function benchMirror(d: Deps) {
  neonConfig.webSocketConstructor = ws;
  const handle = openDb(d.databaseUrl, d.wsProxy);
  // Node-side reads: the same code as the Worker's, unpaced (the figure is calls and time, not the pace), with a
  // mirror share large enough for the largest full read in one go.
  const env = parseEnv({ ...d.vars, ZOHO_CALLS_PER_MINUTE: "100000", MIRROR_FULL_READ_DAILY_CALLS: "20000" });
  const mirror = { db: handle.db, env };
  try {
    await callsPerCustomer(d, mirror);
    let last = 0;
    for (const contacts of [...d.size.contacts].sort((a, b) => a - b)) last = await fullRead(d, mirror, contacts);
    await matchingTime(d, mirror, last);
    await orderHistory(d, mirror);
  } finally {
    await handle.close();
  }
}

type Mirror = { db: ReturnType<typeof openDb>["db"]; env: ReturnType<typeof parseEnv> };

// ——— 1. Calls per customer ———

type Mode = "burst" | "spread" | "pressure";
type ModeResult = { costs: Record<AnyKind, { customers: number; calls: number }>; waiting: number; checks: { jobs: number; calls: number } };

async function callsPerCustomer(d: Deps, mirror: Mirror) {
  console.log("\n7a. Zoho calls per customer with the mirror on");
  await completeMirror(d.url, d.node);
  const cap = dailyCap("sync", parseEnv(d.vars as never));
  const results = {} as Record<Mode, ModeResult>;
  for (const mode of ["burst", "spread", "pressure"] as const) results[mode] = await runMix(d, mirror, mode, cap);

  const costs = (r: ModeResult): KindCosts => ({ new: cost(r, "new"), byEmail: cost(r, "byEmail"), byName: cost(r, "byName") });
  const line = (r: ModeResult) => `new ${per(r.costs.new.calls, r.costs.new.customers)} / returning found in the mirror ${per(r.costs.byEmail.calls, r.costs.byEmail.customers)} / returning by name (live fallback) ${per(r.costs.byName.calls, r.costs.byName.customers)}`;
  const n = (r: ModeResult) => KINDS.slice(0, 3).reduce((s, k) => s + r.costs[k].customers, 0);
  d.report("Mirror: calls per customer, room to spare, customers in a burst (refreshes shared)", `${line(results.burst)} (${n(results.burst)} customers)`);
  d.report("Mirror: calls per customer, room to spare, customers spread out (the copy older than MIRROR_FRESH_SECONDS at each decision)", `${line(results.spread)} (${n(results.spread)} customers)`);
  const p = results.pressure;
  d.report(
    "Mirror: calls per customer under budget pressure (the day's sync share driven to its end)",
    `${line(p)}; new with its deferred duplicate check ${per(p.costs.new.calls + p.checks.calls, p.costs.new.customers)} (${p.checks.calls} calls for ${p.checks.jobs} checks, the next budget day); ${n(p)} customers decided, ${p.waiting} left waiting for the next day`,
  );
  d.report(
    "Mirror: live fallbacks (not in the mirror: contact added after the last refresh / email on a secondary contact person), calls per customer",
    `under pressure ${per(p.costs.notInMirror.calls, p.costs.notInMirror.customers)} / ${per(p.costs.secondary.calls, p.costs.secondary.customers)}; room, spread ${per(results.spread.costs.notInMirror.calls, results.spread.costs.notInMirror.customers)} / ${per(results.spread.costs.secondary.calls, results.spread.costs.secondary.customers)} (${p.costs.notInMirror.customers} + ${p.costs.secondary.customers} customers)`,
  );
  const checkCost = p.checks.jobs ? p.checks.calls / p.checks.jobs : 0;
  const day = (room: KindCosts, deferredCheck: number) => customersPerDay({ share: DEFAULT_SYNC_SHARE, roomShare: 0.5, mix: REFERENCE_MIX, room, pressure: costs(p), deferredCheck });
  const spread = day(costs(results.spread), checkCost);
  const burst = day(costs(results.burst), checkCost);
  const freeCheck = day(costs(results.spread), 0);
  d.report(
    `Mirror: customers a day inside the default sync share (${DEFAULT_SYNC_SHARE} calls; 60 % new, 30 % returning by email, 10 % by name), customers spread over the day / in bursts`,
    `${spread.total} (${spread.room} while the share has room + ${spread.pressure} under pressure) / ${burst.total}; with a duplicate check that costs no call: ${freeCheck.total}`,
  );
}

const cost = (r: ModeResult, k: AnyKind) => (r.costs[k].customers ? r.costs[k].calls / r.costs[k].customers : 0);

async function runMix(d: Deps, mirror: Mirror, mode: Mode, cap: number): Promise<ModeResult> {
  const { node, sandbox, size } = d;
  const tag = { burst: "bu", spread: "sp", pressure: "pr" }[mode];
  // Surnames unique per kind and mode, none inside another (the live fallbacks search Zoho by "name contains").
  const SUR: Record<AnyKind, string> = { new: "Fr", byEmail: "Rt", byName: "Mv", notInMirror: "Lt", secondary: "Ps" };
  const sur = (k: AnyKind, i: number) => `${SUR[k]}${tag}${String(i).padStart(3, "0")}`;
  // Addresses in lower case, as the portal stores them: Zoho's email filter is exact, so a contact whose address has
  // capitals is found live only through the surname search (one call more; the matching suite's "capitals" case).
  const mail = (local: string) => `${local.toLowerCase()}@mirror.example`;
  await node.pool.query("truncate customers, zoho_sync_events, zoho_api_minutes, zoho_api_ledger cascade"); // and their jobs
  for (let i = 0; i < size.mix.byEmail; i++) await sandbox.addContact({ contact_name: `Return ${sur("byEmail", i)}`, first_name: "Return", last_name: sur("byEmail", i), email: mail(`ret.${sur("byEmail", i)}`) });
  for (let i = 0; i < size.mix.byName; i++) await sandbox.addContact({ contact_name: `Moved ${sur("byName", i)}`, first_name: "Moved", last_name: sur("byName", i), email: mail(`old.${sur("byName", i)}`) });
  for (let i = 0; i < size.mix.secondary; i++)
    await sandbox.addContact({
      contact_name: `${sur("secondary", i)} Family Store`,
      company_name: `${sur("secondary", i)} Family Store`,
      contact_persons: [
        { first_name: "Front", last_name: "Desk", email: mail(`desk.${sur("secondary", i)}`), is_primary_contact: true },
        { first_name: "Person", last_name: sur("secondary", i), email: mail(`person.${sur("secondary", i)}`), is_primary_contact: false },
      ],
    });
  // The copy holds every contact above (the mirror's share, not the customers'); the "late" ones come after it.
  await readChangesNow(mirror, ["contacts"]);
  for (let i = 0; i < size.mix.notInMirror; i++) await sandbox.addContact({ contact_name: `Late ${sur("notInMirror", i)}`, first_name: "Late", last_name: sur("notInMirror", i), email: mail(`late.${sur("notInMirror", i)}`) });
  const person = (kind: AnyKind, i: number): Registrant => {
    const first = { new: "Fresh", byEmail: "Return", byName: "Moved", notInMirror: "Late", secondary: "Person" }[kind];
    return { firstName: first, lastName: sur(kind, i), email: mail(`${PREFIX[kind]}.${sur(kind, i)}`), phone: "09171234567", customerType: kind === "new" ? "new" : "returning" };
  };
  // Kinds interleaved (new 0, returning 0, …, new 1, …), as customers come.
  const most = Math.max(...KINDS.map((k) => size.mix[k]));
  const people = Array.from({ length: most }, (_, i) => KINDS.filter((k) => i < size.mix[k]).map((k) => person(k, i))).flat();
  if (mode === "pressure") {
    // The share's end inside the mix: the calls it would take (one a new customer, three a by-name customer or a
    // secondary contact person, one a contact not in the mirror), less a few, so the last customers
    // meet the end of the day's share and wait for the next.
    const left = Math.max(1, size.mix.new + 3 * (size.mix.byName + size.mix.secondary) + size.mix.notInMirror - 3);
    await node.pool.query(
      `insert into zoho_api_ledger (day, total, sync) values ((now() at time zone 'utc')::date, $1, $1)
       on conflict (day) do update set sync = excluded.sync, total = zoho_api_ledger.total + excluded.sync`,
      [cap - left],
    );
  }
  if (mode === "spread") {
    for (const p of people) {
      // Older than MIRROR_FRESH_SECONDS (the decision refreshes it), younger than the scheduled handler's 10 minutes
      // (it does not read first).
      await updateMirrorState(mirror.db, { contactsRefreshedAt: new Date(Date.now() - 5 * 60_000) });
      await registerAndConfirm(d.url, d.inboxUrl, p);
      await settle(d, mode);
    }
  } else {
    for (let i = 0; i < people.length; i += 8) await Promise.all(people.slice(i, i + 8).map((p) => registerAndConfirm(d.url, d.inboxUrl, p)));
    await settle(d, mode);
  }
  const { rows } = await node.pool.query(`
    select c.email, c.zoho_sync_status as status, coalesce(sum(e.zoho_calls), 0)::int as calls,
      string_agg(e.action || ' ' || e.outcome || ' ' || e.zoho_calls, ', ' order by e.at) as runs,
      (select string_agg(l.method || ' ' || l.path, ' | ' order by l.at) from zoho_call_log l where l.customer_id = c.id) as zoho
    from customers c left join zoho_sync_events e on e.customer_id = c.id group by c.id`);
  // The runs behind the live fallbacks' figures (why a customer cost what it did), for whoever reads the log.
  for (const r of rows) if (!/^(fresh|ret)\./.test(r.email)) console.log(`  (${mode}) ${kindOf(r.email)} ${r.status}: ${r.runs ?? "no run"}; calls: ${r.zoho ?? "none"}`);
  const costs = Object.fromEntries(KINDS.map((k) => [k, { customers: 0, calls: 0 }])) as ModeResult["costs"];
  let waiting = 0;
  for (const r of rows) {
    if (r.status === "pending" || r.status === "syncing") {
      waiting++;
      continue;
    }
    const k = kindOf(r.email);
    costs[k].customers++;
    costs[k].calls += r.calls;
  }
  const checks = mode === "pressure" ? await deferredChecks(d) : { jobs: 0, calls: 0 };
  return { costs, waiting, checks };
}

async function settle(d: Deps, mode: Mode) {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const { rows } = await d.node.pool.query("select count(*)::int as n from customers where zoho_sync_status in ('pending', 'syncing')");
    if (rows[0].n === 0) return;
    // Under pressure the rest waits for the next budget day: done when every open job but the deferred duplicate
    // checks (which wait for that day, or for the mirror's next read: decision 038) is such a wait.
    const notChecks = { exceptAction: "check_duplicate" } as const;
    if (mode === "pressure" && (await countOpenJobs(d.node.db, notChecks)) === (await countJobsAfterToday(d.node.db, notChecks))) return;
    if (Date.now() > deadline) throw new Error(`${rows[0].n} customers still not synced after 3 minutes (${mode})`);
    // Jobs paced to the next minute or backing off are moved to now; waits for the next budget day stay.
    await makeWaitingJobsDue(d.node.db, { notLeased: true, exceptAction: "check_duplicate", withinMs: 30 * 60_000 });
    await fetch(`${d.url}/__scheduled?cron=0+*+*+*+*`);
    await new Promise((r) => setTimeout(r, 400));
  }
}

const syncEventCalls = async (node: Node) => Number((await node.pool.query("select coalesce(sum(zoho_calls), 0)::int as n from zoho_sync_events")).rows[0].n);

/** The next budget day: the deferred duplicate checks of the customers created under pressure run (and only they). */
async function deferredChecks(d: Deps) {
  const before = await syncEventCalls(d.node);
  await d.node.pool.query("truncate zoho_api_ledger");
  const { rows } = await d.node.pool.query("select count(*)::int as n from customers where zoho_sync_status not in ('pending', 'syncing') and zoho_contact_id is not null and not is_returning_customer");
  const open = await countOpenJobs(d.node.db);
  await makeWaitingJobsDue(d.node.db, { action: "check_duplicate" });
  const deadline = Date.now() + 120_000;
  let left = open;
  for (;;) {
    const waits = await countJobsAfterToday(d.node.db);
    left = (await countOpenJobs(d.node.db)) - waits;
    if (left <= 0 || Date.now() > deadline) break;
    await makeWaitingJobsDue(d.node.db, { notLeased: true, action: "check_duplicate" });
    await fetch(`${d.url}/__scheduled?cron=0+*+*+*+*`);
    await new Promise((r) => setTimeout(r, 400));
  }
  if (left > 0) throw new Error(`${left} deferred duplicate checks still open after 2 minutes`);
  const jobs = open - (await countOpenJobs(d.node.db));
  console.log(`  (${jobs} deferred checks ran for ${rows[0].n} new customers created under pressure)`);
  return { jobs, calls: (await syncEventCalls(d.node)) - before };
}

// ——— 2. The first full read ———

async function fullRead(d: Deps, mirror: Mirror, contacts: number) {
  const { sandbox, report } = d;
  const have = Number((await sandbox.state()).contacts);
  if (contacts > have) await sandbox.addContactsInBulk({ count: contacts - have, prefix: `b${contacts}x`, invoiceEvery: 5 });
  const invoices = Number((await sandbox.state()).invoices);
  console.log(`\n7b. First full read of ${contacts.toLocaleString("en-US")} contacts and ${invoices.toLocaleString("en-US")} invoices`);
  await clearMirrorForBench(mirror.db);
  await d.node.pool.query("truncate zoho_api_ledger");
  const t0 = performance.now();
  const step = await fullReadStep(mirror, 1_000_000);
  const seconds = (performance.now() - t0) / 1000;
  if (!step.done) throw new Error(`the full read stopped: ${step.stoppedBy}`);
  const { rows } = await d.node.pool.query("select coalesce(sum(mirror), 0)::int as n from zoho_api_ledger");
  const calls = Number(rows[0].n);
  const counts = await mirrorCounts(mirror.db);
  await d.node.pool.query("vacuum analyze zoho_mirror_contacts, zoho_mirror_invoices");
  const sizes = await mirrorTableSizes(mirror.db);
  const atShare = fullReadWallMinutes({ calls, dailyShare: DEFAULT_SHARES.mirror, pagesPerRun: FULL_READ_PAGES_PER_RUN, runEveryMinutes: 60, secondsPerCall: seconds / calls });
  const wall = atShare.minutes >= 1440 ? `${Math.round(atShare.minutes).toLocaleString("en-US")} min (${atShare.days.toFixed(1)} days)` : `${Math.round(atShare.minutes)} min`;
  report(
    `Mirror: first full read of ${contacts.toLocaleString("en-US")} contacts (${invoices.toLocaleString("en-US")} invoices)`,
    `${calls} calls (${step.pages} pages read; ${counts.contacts.toLocaleString("en-US")} contacts and ${counts.invoices.toLocaleString("en-US")} invoices stored); ${(seconds / 60).toFixed(1)} min here unpaced (${(seconds / calls).toFixed(2)} s a page); at the default share (${DEFAULT_SHARES.mirror} a day, ${FULL_READ_PAGES_PER_RUN} pages an hourly run) ${wall} in ${atShare.runs} runs`,
  );
  report(
    `Mirror: Postgres size at ${contacts.toLocaleString("en-US")} contacts (tables + indexes)`,
    `contacts ${mb(sizes.contacts)} (indexes ${mb(sizes.contactsIndexes)}), invoices ${mb(sizes.invoices)} (indexes ${mb(sizes.invoicesIndexes)})`,
  );
  return contacts;
}

// ——— 3. Matching time ———

async function matchingTime(d: Deps, mirror: Mirror, contacts: number) {
  console.log(`\n7c. Matching against the mirror of ${contacts.toLocaleString("en-US")} contacts`);
  const { rows } = await d.node.pool.query("select email from zoho_mirror_contacts where email <> '' order by random() limit $1", [Math.ceil(d.size.lookups / 2)]);
  const emails = rows.flatMap((r, i) => [r.email as string, `absent${i}@nowhere.example`]);
  for (const e of emails.slice(0, 5)) await contactsByEmail(mirror.db, e); // warm the pool
  const query: number[] = [];
  let found = 0;
  for (const e of emails) {
    const t0 = performance.now();
    found += (await contactsByEmail(mirror.db, e)).length ? 1 : 0;
    query.push(performance.now() - t0);
  }
  // A decision's whole mirror read on a fresh copy (the state row, then the lookup; a stale copy adds today's budget).
  await updateMirrorState(mirror.db, { contactsRefreshedAt: new Date() });
  const lookup = mirrorLookup(mirror, new ZohoClient({ db: mirror.db, env: mirror.env, purpose: "sync" }));
  const decision: number[] = [];
  for (const e of emails) {
    const t0 = performance.now();
    await lookup.byEmail(e);
    decision.push(performance.now() - t0);
  }
  const q = contactsByEmailQuery(mirror.db, emails[0]).toSQL();
  const plan = (await d.node.pool.query(`explain (analyze, costs off, timing off, summary off) ${q.sql}`, q.params)).rows.map((r) => String(r["QUERY PLAN"]).trim());
  const fmt = (v: number[]) => `p50 ${ms(quantile(v, 0.5))}, p95 ${ms(quantile(v, 0.95))}`;
  d.report(`Mirror: lookup by email at ${contacts.toLocaleString("en-US")} contacts (the query, Neon driver through the proxy)`, `${fmt(query)} (n=${emails.length}, ${found} found)`);
  d.report(`Mirror: a decision's whole mirror read at ${contacts.toLocaleString("en-US")} (state row + lookup; copy fresh)`, fmt(decision));
  d.report(`Mirror: lookup plan at ${contacts.toLocaleString("en-US")}`, plan.filter((l) => /Scan|Sort|Filter|Index Cond/.test(l)).join("; "));
}

// ——— 4. Order history ———

async function orderHistory(d: Deps, mirror: Mirror) {
  console.log(`\n7d. Order history over the mirror: ${d.size.views.toLocaleString("en-US")} page views at steady state`);
  const { rows } = await d.node.pool.query("select distinct customer_id from zoho_mirror_invoices limit 50");
  const ids = rows.map((r) => r.customer_id as string);
  if (!ids.length) throw new Error("no invoices in the mirror");
  // The loader's function as the Worker runs it (the mirror's env: order-history share 30, fresh for 300 s).
  const app = { env: parseEnv({ ...d.vars, ZOHO_CALLS_PER_MINUTE: "100000" }), db: mirror.db } as unknown as AppServices;
  await d.node.pool.query("truncate zoho_api_ledger");
  await ordersFor(app, ids[0], 1); // the first view after the full read refreshes the copy (one call for everyone)
  const warm = await invoiceCalls(d.node);
  const times: number[] = [];
  const t0 = performance.now();
  let shown = 0;
  for (let i = 0; i < d.size.views; i++) {
    const t = performance.now();
    const view = await ordersFor(app, ids[i % ids.length], 1);
    times.push(performance.now() - t);
    if (view.state === "ok" && view.invoices.length) shown++;
  }
  const seconds = (performance.now() - t0) / 1000;
  const calls = (await invoiceCalls(d.node)) - warm;
  d.report(
    `Mirror: order-history calls per 1,000 page views at steady state`,
    `${((calls * 1000) / d.size.views).toFixed(1)} (${calls} for ${d.size.views.toLocaleString("en-US")} views of ${ids.length} customers over ${seconds.toFixed(0)} s, ${shown} with invoices; the shared refresh before them: ${warm} call, at most one per MIRROR_INVOICES_FRESH_SECONDS for everyone); a view p95 ${ms(quantile(times, 0.95))}`,
  );
}

const invoiceCalls = async (node: Node) => Number((await node.pool.query("select coalesce(sum(invoice), 0)::int as n from zoho_api_ledger")).rows[0].n);
