// The mirror of Zoho (issue 20, docs/decisions/036-zoho-mirror.md) on the shared bench stack:
//  1. Zoho calls per customer with the mirror on, per kind (new, returning found in the mirror by email, returning by
//     name only, and the live fallbacks: a contact added after the last refresh, an email on a secondary contact
//     person), registered and confirmed through the real Worker, in three budget states: room to spare with the
//     customers in a burst (refreshes shared), room to spare with the customers spread out (the copy older than
//     MIRROR_FRESH_SECONDS at every decision, as when customers come minutes apart: refreshed from the mirror's share),
//     and under budget pressure with the day's sync share driven to its end and the copy minutes old (used as it is;
//     then the deferred duplicate checks after the mirror's next read); from those, customers a day inside the default
//     sync share on the reference mix (mirror-figures.ts, decision 042);
//  2. the first full read of 10,000 and 100,000 contacts (the sandbox preloaded in bulk): calls, time here, wall time
//     at the configured share, Postgres size of the mirror's tables;
//  3. matching time against the largest mirror: the lookup query (p50/p95, Neon driver through the proxy, as the
//     Worker runs it) and its plan, the whole mirror read of a decision (state row + lookup), the surname search;
//  4. order-history calls per 1,000 page views at steady state (the loader's function, over the mirror).
import { neonConfig } from "@neondatabase/serverless";
import ws from "ws";
import type { AppServices } from "~/context.server";
import { ordersFor } from "~/customers/orders.server";
import { openDb } from "~/db/client.server";
import { parseEnv } from "~/env.server";
import { countJobsAfterToday, countOpenJobs, makeWaitingJobsDue } from "~/sync/jobs/tooling.server";
import { dailyCap } from "~/zoho/ledger.server";
import { FULL_READ_PAGES_PER_RUN, fullReadStep, mirrorLookup, readChangesNow } from "~/zoho/mirror/read.server";
import { clearMirrorForBench, contactsByEmail, contactsByEmailQuery, mirrorCounts, mirrorTableSizes, updateMirrorState } from "~/zoho/mirror/store.server";
import { registerAndConfirm, type Registrant } from "@tools/local-stack/http-session";
import type { openNodeDb } from "@tools/local-stack/node-db";
import type { SandboxControl } from "@tools/zoho-sandbox/control-client";
import { customersPerDay, DEFAULT_SHARES, DEFAULT_SYNC_SHARE, fullReadWallMinutes, REFERENCE_MIX, REFRESHES_PER_DAY, type KindCosts } from "./mirror-figures";
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

/**
 * Time passes to the mirror's next hourly read after the links (what the deferred duplicate checks wait for, decision
 * 038): the links are made five minutes earlier, the copy's last read eleven, and the Worker's own scheduled handler
 * reads Zoho's changes (the mirror's share).
 */
export async function nextHourlyMirrorRead(url: string, node: Node) {
  await node.pool.query("update customers set zoho_linked_at = zoho_linked_at - interval '5 minutes' where zoho_linked_at is not null");
  await node.pool.query("update zoho_mirror_state set contacts_refreshed_at = now() - interval '11 minutes' where id = 1");
  await fetch(`${url}/__scheduled?cron=0+*+*+*+*`);
  const { rows } = await node.pool.query("select contacts_refreshed_at > now() - interval '1 minute' as read from zoho_mirror_state where id = 1");
  if (!rows[0]?.read) throw new Error("the scheduled handler did not read the mirror's contacts");
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
/** Per kind: customers decided, their sync-share calls, and the refresh reads their decisions made (the mirror's share). */
type ModeResult = { costs: Record<AnyKind, { customers: number; calls: number; refreshes: number }>; waiting: number; checks: { jobs: number; calls: number } };

async function callsPerCustomer(d: Deps, mirror: Mirror) {
  console.log("\n7a. Zoho calls per customer with the mirror on");
  await completeMirror(d.url, d.node);
  const cap = dailyCap("sync", parseEnv(d.vars as never));
  const results = {} as Record<Mode, ModeResult>;
  for (const mode of ["burst", "spread", "pressure"] as const) results[mode] = await runMix(d, mirror, mode, cap);

  const costs = (r: ModeResult): KindCosts => ({ new: cost(r, "new"), byEmail: cost(r, "byEmail"), byName: cost(r, "byName") });
  // Calls per customer with the refresh reads included, the mirror's share's part in brackets.
  const one = (r: ModeResult, k: AnyKind) => `${per(r.costs[k].calls + r.costs[k].refreshes, r.costs[k].customers)}${r.costs[k].refreshes ? ` (${per(r.costs[k].refreshes, r.costs[k].customers)} refresh)` : ""}`;
  const line = (r: ModeResult) => `new ${one(r, "new")} / returning found in the mirror ${one(r, "byEmail")} / returning by name only ${one(r, "byName")}`;
  const n = (r: ModeResult) => KINDS.slice(0, 3).reduce((s, k) => s + r.costs[k].customers, 0);
  d.report("Mirror: calls per customer, room to spare, customers in a burst (refreshes shared), refresh reads included", `${line(results.burst)} (${n(results.burst)} customers)`);
  d.report("Mirror: calls per customer, room to spare, customers spread out (the copy older than MIRROR_FRESH_SECONDS at each decision: refreshed from the mirror's share), refresh reads included", `${line(results.spread)} (${n(results.spread)} customers)`);
  const p = results.pressure;
  d.report(
    "Mirror: calls per customer under budget pressure (the day's sync share driven to its end; the copy minutes old, used as it is)",
    `${line(p)}; new with its deferred duplicate check ${per(p.costs.new.calls + p.checks.calls, p.costs.new.customers)} (${p.checks.calls} calls for ${p.checks.jobs} checks, after the mirror's next read); ${n(p)} customers decided, ${p.waiting} left waiting for the next day`,
  );
  d.report(
    "Mirror: live fallbacks (not in the mirror: contact added after the last refresh / email on a secondary contact person), calls per customer",
    `under pressure ${one(p, "notInMirror")} / ${one(p, "secondary")}; room, spread ${one(results.spread, "notInMirror")} / ${one(results.spread, "secondary")} (${p.costs.notInMirror.customers} + ${p.costs.secondary.customers} customers)`,
  );
  const checkCost = p.checks.jobs ? p.checks.calls / p.checks.jobs : 0;
  // Sync-share costs only: the refreshes are the mirror's (REFRESHES_PER_DAY of them for customers spread out).
  const day = (refreshed: KindCosts, refreshes: number) => customersPerDay({ share: DEFAULT_SYNC_SHARE, roomShare: 0.5, mix: REFERENCE_MIX, refreshed, asIs: costs(p), refreshes, deferredCheck: checkCost });
  const spread = day(costs(results.spread), REFRESHES_PER_DAY);
  const burst = day(costs(results.burst), Infinity);
  d.report(
    `Mirror: customers a day inside the default sync share (${DEFAULT_SYNC_SHARE} calls; 60 % new, 30 % returning by email, 10 % by name), customers spread over the day / in bursts`,
    `${spread.total} (${spread.refreshed} decided after a refresh from the mirror's share + ${spread.asIs} on the copy as it is) / ${burst.total}; the deferred duplicate check ${checkCost.toFixed(2)} calls`,
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
  await node.pool.query("truncate customers, zoho_sync_events, zoho_api_minutes, zoho_api_ledger, zoho_call_log cascade"); // and their jobs
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
    // The share's end inside the mix: the calls it would take (one a new customer, two a by-name customer or a
    // secondary contact person, one a contact not in the mirror; decision 042), less a few, so the last customers
    // meet the end of the day's share and wait for the next.
    const left = Math.max(1, size.mix.new + 2 * (size.mix.byName + size.mix.secondary) + size.mix.notInMirror - 3);
    await node.pool.query(
      `insert into zoho_api_ledger (day, total, sync) values ((now() at time zone 'utc')::date, $1, $1)
       on conflict (day) do update set sync = excluded.sync, total = zoho_api_ledger.total + excluded.sync`,
      [cap - left],
    );
  }
  if (mode === "pressure") {
    // Minutes old, as between two hourly reads: under pressure no decision refreshes it (the copy as it is).
    await updateMirrorState(mirror.db, { contactsRefreshedAt: new Date(Date.now() - 5 * 60_000) });
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
      (select string_agg(l.method || ' ' || l.path, ' | ' order by l.at) from zoho_call_log l where l.customer_id = c.id) as zoho,
      (select count(*)::int from zoho_call_log l where l.customer_id = c.id and l.purpose = 'mirror') as refreshes
    from customers c left join zoho_sync_events e on e.customer_id = c.id group by c.id`);
  // The runs behind the live fallbacks' figures (why a customer cost what it did), for whoever reads the log.
  for (const r of rows) if (!/^(fresh|ret)\./.test(r.email)) console.log(`  (${mode}) ${kindOf(r.email)} ${r.status}: ${r.runs ?? "no run"}; calls: ${r.zoho ?? "none"}`);
  const costs = Object.fromEntries(KINDS.map((k) => [k, { customers: 0, calls: 0, refreshes: 0 }])) as ModeResult["costs"];
  let waiting = 0;
  for (const r of rows) {
    if (r.status === "pending" || r.status === "syncing") {
      waiting++;
      continue;
    }
    const k = kindOf(r.email);
    costs[k].customers++;
    costs[k].calls += r.calls;
    costs[k].refreshes += r.refreshes;
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

/** After the mirror's next read (the next budget day too): the deferred duplicate checks of the customers created under pressure run (and only they). */
async function deferredChecks(d: Deps) {
  const before = await syncEventCalls(d.node);
  await d.node.pool.query("truncate zoho_api_ledger");
  const { rows } = await d.node.pool.query("select count(*)::int as n from customers where zoho_sync_status not in ('pending', 'syncing') and zoho_contact_id is not null and not is_returning_customer");
  const open = await countOpenJobs(d.node.db);
  // The checks are due after the mirror's next hourly read (decision 038).
  await nextHourlyMirrorRead(d.url, d.node);
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
  const lookup = mirrorLookup(mirror, {});
  const decision: number[] = [];
  for (const e of emails) {
    const t0 = performance.now();
    await lookup.byEmail(e);
    decision.push(performance.now() - t0);
  }
  // The surname search of a customer known by name only (decision 042): a scan, no index serves "contains".
  const { rows: named } = await d.node.pool.query("select name from zoho_mirror_contacts order by random() limit $1", [Math.ceil(d.size.lookups / 4)]);
  const surnames = named.map((r) => String(r.name).split(/\s+/).at(-1) ?? "x");
  const bySurname: number[] = [];
  for (const term of surnames) {
    const t0 = performance.now();
    await lookup.namedLike(term);
    bySurname.push(performance.now() - t0);
  }
  const q = contactsByEmailQuery(mirror.db, emails[0]).toSQL();
  const plan = (await d.node.pool.query(`explain (analyze, costs off, timing off, summary off) ${q.sql}`, q.params)).rows.map((r) => String(r["QUERY PLAN"]).trim());
  const fmt = (v: number[]) => `p50 ${ms(quantile(v, 0.5))}, p95 ${ms(quantile(v, 0.95))}`;
  d.report(`Mirror: lookup by email at ${contacts.toLocaleString("en-US")} contacts (the query, Neon driver through the proxy)`, `${fmt(query)} (n=${emails.length}, ${found} found)`);
  d.report(`Mirror: a decision's whole mirror read at ${contacts.toLocaleString("en-US")} (state row + lookup; copy fresh)`, fmt(decision));
  d.report(`Mirror: surname search at ${contacts.toLocaleString("en-US")} (a customer known by name only; state row + scan)`, `${fmt(bySurname)} (n=${surnames.length})`);
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
