// Zoho calls per synced customer over a fixed mix (30 new, 20 returning found by email, 10 returning by name
// only), registered and confirmed through the real Worker on the shared bench stack; fault-free, so the
// figures are exact and repeatable.
import { registerAndConfirm, type Registrant } from "@tools/local-stack/http-session";
import type { openNodeDb } from "@tools/local-stack/node-db";
import type { SandboxControl } from "@tools/zoho-sandbox/control-client";
import { makeWaitingJobsDue } from "~/sync/jobs/tooling.server";
import { completeMirror } from "./mirror";
import { DEFAULT_SYNC_SHARE } from "./mirror-figures";

type Node = ReturnType<typeof openNodeDb>;
type Report = (name: string, value: string) => void;

/** The fixed mix: new customers, returning ones Zoho has under their email, returning ones known by name only. */
export type CallsMix = { new: number; byEmail: number; byName: number };

export async function benchCallsPerCustomer(d: { node: Node; sandbox: SandboxControl; url: string; inboxUrl: string; report: Report; mix?: CallsMix }) {
  const { node, sandbox, url, inboxUrl, report } = d;
  const size = d.mix ?? { new: 30, byEmail: 20, byName: 10 };
  const person = (i: number, tag: string): Registrant => ({
    firstName: "Bench",
    lastName: `${tag}${i}`,
    email: `bench.${tag}${i}@bench.example`,
    phone: "09171234567",
    customerType: "new",
  });
  console.log("\n2. Zoho calls per synced customer (fixed mix), the mirror on (its first full read done first)");
  await completeMirror(url, node);
  await node.pool.query("truncate customers, zoho_sync_events, zoho_api_minutes, zoho_call_log cascade"); // and their jobs
  for (let i = 0; i < size.byEmail; i++) await sandbox.addContact({ contact_name: `Return Email${i}`, first_name: "Return", last_name: `Email${i}`, email: `return.email${i}@bench.example` });
  for (let i = 0; i < size.byName; i++) await sandbox.addContact({ contact_name: `Return Byname${i}`, first_name: "Return", last_name: `Byname${i}`, email: `old.address${i}@bench.example` });
  const mix: Registrant[] = [
    ...Array.from({ length: size.new }, (_, i) => ({ ...person(i, "mixnew"), lastName: `Newcomer${i}` })),
    ...Array.from({ length: size.byEmail }, (_, i) => ({ firstName: "Return", lastName: `Email${i}`, email: `return.email${i}@bench.example`, phone: "09171234567", customerType: "returning" as const })),
    ...Array.from({ length: size.byName }, (_, i) => ({ firstName: "Return", lastName: `Byname${i}`, email: `new.address${i}@bench.example`, phone: "09171234567", customerType: "returning" as const })),
  ];
  // Eight at a time: the figure is calls per customer, not throughput, and 60 password hashes at once on a busy
  // machine left Confirm pages waiting past their minute.
  for (let i = 0; i < mix.length; i += 8) await Promise.all(mix.slice(i, i + 8).map((p) => registerAndConfirm(url, inboxUrl, p)));
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { rows: open } = await node.pool.query("select count(*)::int as n from customers where zoho_sync_status in ('pending', 'syncing')");
    if (open[0].n === 0) break;
    if (Date.now() > deadline) throw new Error(`${open[0].n} customers still not synced after 2 minutes`);
    // Jobs paced to the next minute are moved to now (time travel) so the sweep can send them; the duplicate checks
    // wait for the mirror's next hourly read as they would (their cost is the new-customer figure's, below).
    await makeWaitingJobsDue(node.db, { notLeased: true, exceptAction: "check_duplicate" });
    await fetch(`${url}/__scheduled?cron=0+*+*+*+*`);
    await new Promise((r) => setTimeout(r, 500));
  }
  // Per customer: the sync share's calls (its runs) and the refresh reads its decisions made (the mirror's share, decision 042).
  const { rows: calls } = await node.pool.query(`
    with per as (
      select c.is_returning_customer as is_returning, c.zoho_match_type as how,
        (select coalesce(sum(e.zoho_calls), 0) from zoho_sync_events e where e.customer_id = c.id) as calls,
        (select count(*) from zoho_call_log l where l.customer_id = c.id and l.purpose = 'mirror') as refreshes
      from customers c where exists (select 1 from zoho_sync_events e where e.customer_id = c.id))
    select is_returning as returning, how, count(*)::int as customers, sum(calls)::int as calls, sum(refreshes)::int as refreshes
    from per group by 1, 2 order by 1, 2`);
  // The runs behind a new customer that cost more than its create, for whoever reads the log.
  const { rows: costly } = await node.pool.query(`
    select c.email, string_agg(e.action || ' ' || e.outcome || ' ' || e.zoho_calls, ', ' order by e.at) as runs,
      (select string_agg(l.method || ' ' || split_part(l.path, '?', 1) || ' ' || coalesce(l.http_status::text, '-') || coalesce(' ' || l.zoho_code, ''), ' | ' order by l.at) from zoho_call_log l where l.customer_id = c.id) as zoho
    from customers c join zoho_sync_events e on e.customer_id = c.id where not c.is_returning_customer
    group by c.id having sum(e.zoho_calls) > 1`);
  for (const r of costly) console.log(`  (new, more than 1 call) ${r.email}: ${r.runs}; calls: ${r.zoho ?? "none"}`);
  let totalCalls = 0;
  let totalRefreshes = 0;
  let totalCustomers = 0;
  const withRefreshes = (calls: number, refreshes: number, n: number) => `${((calls + refreshes) / n).toFixed(2)}${refreshes ? ` (of it ${(refreshes / n).toFixed(2)} refresh reads, the mirror's share)` : ""}`;
  for (const r of calls) {
    report(`Calls per customer, mirror on: ${r.returning ? "returning" : "new"}, ${r.how ? `linked by ${r.how}` : "not linked"}`, `${withRefreshes(r.calls, r.refreshes, r.customers)} (${r.customers} customers)`);
    totalCalls += r.calls;
    totalRefreshes += r.refreshes;
    totalCustomers += r.customers;
  }
  const perCustomer = totalCalls / Math.max(1, totalCustomers);
  const syncShare = DEFAULT_SYNC_SHARE;
  report("Calls per synced customer, mirror on: whole mix", withRefreshes(totalCalls, totalRefreshes, Math.max(1, totalCustomers)));
  report(`Customers synced per day inside the default sync share with the mirror on (${syncShare} calls), at this mix in one burst`, String(Math.floor(syncShare / perCustomer)));
  await node.pool.query("truncate customers, zoho_sync_events cascade"); // and their jobs
}
