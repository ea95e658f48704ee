// Zoho calls per new customer in both create modes (app/sync/create-policy.ts), the mirror on: while the day's
// budget has room, the copy is refreshed first (the mirror's share) when older than a minute; either way a new
// customer whose email a current copy does not hold is created at once, and a duplicate check follows after the
// mirror's next read (decision 042; without a current copy: a live look first with room, the check the next day).
import type { Registrant } from "@tools/local-stack/http-session";
import { registerAndConfirm } from "@tools/local-stack/http-session";
import type { openNodeDb } from "@tools/local-stack/node-db";
import { allJobStates, countOpenJobs, makeWaitingJobsDue } from "~/sync/jobs/tooling.server";
import { nextHourlyMirrorRead } from "./mirror";

type Deps = {
  url: string;
  inboxUrl: string;
  node: ReturnType<typeof openNodeDb>;
  syncCap: number;
  report: (name: string, value: string) => void;
  /** New customers per mode (default 10). */
  people?: number;
};

async function settle(d: Deps) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { rows } = await d.node.pool.query("select count(*)::int as n from customers where zoho_sync_status in ('pending', 'syncing')");
    if (rows[0].n === 0) return;
    if (Date.now() > deadline) throw new Error(`${rows[0].n} new customers still not synced after 2 minutes`);
    await makeWaitingJobsDue(d.node.db, { notLeased: true, exceptAction: "check_duplicate" });
    await fetch(`${d.url}/__scheduled?cron=0+*+*+*+*`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const calls = async (d: Deps) => Number((await d.node.pool.query("select coalesce(sum(zoho_calls), 0)::int as n from zoho_sync_events")).rows[0].n);

async function mode(d: Deps, tag: string, usedToday: number) {
  const PEOPLE = d.people ?? 10;
  await d.node.pool.query("truncate customers, zoho_sync_events, zoho_api_minutes, zoho_api_ledger cascade"); // and their jobs
  if (usedToday) await d.node.pool.query("insert into zoho_api_ledger (day, total, sync) values ((now() at time zone 'utc')::date, $1, $1)", [usedToday]);
  const people: Registrant[] = Array.from({ length: PEOPLE }, (_, i) => ({
    firstName: "Bench",
    lastName: `${tag}${i}`,
    email: `bench.${tag}${i}@calls.example`,
    phone: "09171234567",
    customerType: "new",
  }));
  await Promise.all(people.map((p) => registerAndConfirm(d.url, d.inboxUrl, p)));
  await settle(d);
  const atCreate = await calls(d);
  // The deferred duplicate checks run now, after the mirror's next hourly read (decision 038) and in the next budget
  // day (without the mirror they wait for it): today's calls no longer count against the budget.
  await nextHourlyMirrorRead(d.url, d.node);
  await d.node.pool.query("truncate zoho_api_ledger");
  await makeWaitingJobsDue(d.node.db, { action: "check_duplicate" });
  const checks = await countOpenJobs(d.node.db);
  const deadline = Date.now() + 120_000;
  while ((await countOpenJobs(d.node.db)) > 0 && Date.now() < deadline) {
    await makeWaitingJobsDue(d.node.db, { notLeased: true, action: "check_duplicate" });
    await fetch(`${d.url}/__scheduled?cron=0+*+*+*+*`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const left = await countOpenJobs(d.node.db);
  if (left > 0) {
    const open = (await allJobStates(d.node.db)).filter((j) => j.processed_at == null).slice(0, 3);
    throw new Error(`${left} of ${checks} deferred duplicate checks still open after 2 minutes (the "with the check" figure would be wrong): ${JSON.stringify(open)}`);
  }
  return { atCreate: atCreate / PEOPLE, total: (await calls(d)) / PEOPLE, checks };
}

const line = (m: { atCreate: number; total: number; checks: number }) => `${m.atCreate.toFixed(2)} at once, ${m.total.toFixed(2)} with the duplicate check (${m.checks} checks, after the mirror's next read)`;

export async function benchNewCustomerCalls(d: Deps) {
  const room = await mode(d, "room", 0);
  d.report("Calls per new customer (sync share), mirror on, budget has room (the copy refreshed from the mirror's share when older than a minute, then created)", line(room));
  const pressure = await mode(d, "tight", Math.ceil(d.syncCap * 0.6));
  d.report("Calls per new customer (sync share), mirror on, under budget pressure (the copy as it is, created at once)", line(pressure));
}
