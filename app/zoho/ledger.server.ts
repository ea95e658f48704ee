// The daily call ledger: every Zoho Books call is counted BEFORE it is made, in one atomic statement
// per counter, so parallel consumers can never spend more than the budget together.
//  - total never exceeds ZOHO_DAILY_CALL_LIMIT (our share of the organisation's shared daily pool);
//  - the limit is split into daily shares, one per purpose (docs/decisions/011-budget-shares.md):
//    customers' order history (ZOHO_ORDERS_DAILY_SHARE), admins' live searches (ZOHO_ADMIN_DAILY_SHARE)
//    and sync (the rest). A purpose spends only its own share, so no reader can starve sync and sync
//    cannot starve readers; unused shares are not lent;
//  - each minute, sync work stays under ZOHO_CALLS_PER_MINUTE and everything under Zoho's 100, the previous
//    minute counted in as far as a rolling minute still covers it (Zoho does not say which minute it counts).
// Days are budget days: UTC by default, ZOHO_DAY_TIMEZONE when set (Zoho documents no reset time zone; see
// app/common/budget-day.ts and docs/zoho-facts.md).
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db/client.server";
import type { AppEnv } from "~/env.server";
import { budgetDay, budgetDayStart, DEFAULT_DAY_TIMEZONE } from "~/common/budget-day";
import { ZohoError } from "./errors";

/**
 * sync = the background sync; invoice = customers' order history; admin = admins' live Zoho searches; mirror = the
 * mirror's first full read and hourly incremental reads (app/zoho/mirror/).
 */
export type CallPurpose = "sync" | "invoice" | "admin" | "mirror";
export const CALL_PURPOSES: readonly CallPurpose[] = ["sync", "invoice", "admin", "mirror"];
export const ZOHO_PER_MINUTE_LIMIT = 100;

type LedgerLimits = Pick<AppEnv, "ZOHO_DAILY_CALL_LIMIT" | "ZOHO_ORDERS_DAILY_SHARE" | "ZOHO_ADMIN_DAILY_SHARE" | "ZOHO_CALLS_PER_MINUTE"> & {
  /** The mirror's share (0 or absent: no mirror). */
  MIRROR_FULL_READ_DAILY_CALLS?: number;
  /** The budget day's time zone (UTC when not given). */
  ZOHO_DAY_TIMEZONE?: string;
};

/** The ledger's day for `now` in `zone` (a budget day: UTC unless ZOHO_DAY_TIMEZONE says otherwise). */
export const ledgerDay = (now: Date, zone?: string) => budgetDay(now, zone ?? DEFAULT_DAY_TIMEZONE);

/** The daily share of `purpose`: the most calls it may spend in a budget day, whatever the others do. */
export function dailyCap(purpose: CallPurpose, limits: LedgerLimits) {
  const limit = limits.ZOHO_DAILY_CALL_LIMIT;
  const orders = Math.min(limits.ZOHO_ORDERS_DAILY_SHARE, limit);
  const admin = Math.min(limits.ZOHO_ADMIN_DAILY_SHARE, limit - orders);
  const mirror = Math.min(limits.MIRROR_FULL_READ_DAILY_CALLS ?? 0, limit - orders - admin);
  if (purpose === "invoice") return orders;
  if (purpose === "admin") return admin;
  if (purpose === "mirror") return mirror;
  return limit - orders - admin - mirror;
}

function minuteCap(purpose: CallPurpose, limits: LedgerLimits) {
  // Production config caps ZOHO_CALLS_PER_MINUTE at Zoho's 100 (env.server.ts); tests may raise it.
  return purpose === "sync" ? limits.ZOHO_CALLS_PER_MINUTE : Math.max(ZOHO_PER_MINUTE_LIMIT, limits.ZOHO_CALLS_PER_MINUTE);
}

const column = { sync: sql.raw("sync"), invoice: sql.raw("invoice"), admin: sql.raw("admin"), mirror: sql.raw("mirror") };

/**
 * Reserves `count` calls or throws ZohoError("rate_limited" | "daily_limit", local).
 * minuteTaken: the minute's pace was already taken for this call (reserveMinute), only the day is counted.
 */
export async function reserveCalls(
  db: DbOrTx,
  limits: LedgerLimits,
  purpose: CallPurpose,
  count = 1,
  now = new Date(),
  opts: { minuteTaken?: boolean } = {},
): Promise<void> {
  if (!opts.minuteTaken) await reserveMinute(db, limits, purpose, count, now);

  // One statement: the row lock taken by ON CONFLICT makes "check the share, then add" atomic, so
  // parallel callers can never overspend a share (no read-then-write).
  const share = dailyCap(purpose, limits);
  const limit = limits.ZOHO_DAILY_CALL_LIMIT;
  const col = column[purpose];
  const day = ledgerDay(now, limits.ZOHO_DAY_TIMEZONE);
  const spent = await db.execute(sql`
    insert into zoho_api_ledger (day, total, ${col}) select ${day}::date, ${count}, ${count} where ${count}::int <= ${share}::int
    on conflict (day) do update set total = zoho_api_ledger.total + ${count}, ${col} = zoho_api_ledger.${col} + ${count}
      where zoho_api_ledger.${col} + ${count} <= ${share} and zoho_api_ledger.total + ${count} <= ${limit}
    returning total`);
  if (spent.rows.length === 0) {
    await countRefused(db, now, limits.ZOHO_DAY_TIMEZONE);
    throw new ZohoError("daily_limit", SHARE_USED_UP[purpose](share, limits.ZOHO_DAY_TIMEZONE ?? DEFAULT_DAY_TIMEZONE), { local: true });
  }
}

/**
 * Takes `count` calls of this minute's pace for `purpose` (atomically, like the day's share) or throws the
 * pace's refusal, counted as refused. A sync job takes the calls it plans before its first one (run-job), so
 * it never spends a lookup and then meets the pace halfway. Returns the minute, for releaseMinute.
 */
export async function reserveMinute(db: DbOrTx, limits: LedgerLimits, purpose: CallPurpose, count: number, now = new Date()): Promise<Date> {
  const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const previous = new Date(minute.getTime() - 60_000).toISOString();
  const perMinute = minuteCap(purpose, limits);
  // Zoho may count a rolling minute: 80 calls at the end of one clock minute and 80 at the start of the next
  // are 160 in 60 s. So the previous minute's calls count too, weighted by how much of it a rolling minute
  // ending now still covers (a sliding-window estimate), against Zoho's own 100 (or a test's higher pace).
  const rolling = Math.max(ZOHO_PER_MINUTE_LIMIT, limits.ZOHO_CALLS_PER_MINUTE);
  const stillCovered = 1 - (now.getTime() - minute.getTime()) / 60_000;
  const carried = sql`coalesce((select p.calls from zoho_api_minutes p where p.minute = ${previous}::timestamptz), 0) * ${stillCovered}::float8`;
  // Two bare parameters compare as text ('2' <= '100' is false): every one is cast.
  const paced = await db.execute(sql`
    insert into zoho_api_minutes (minute, calls) select ${minute.toISOString()}::timestamptz, ${count}
      where ${count}::int <= ${perMinute}::int and ${count}::int + ${carried} <= ${rolling}::int
    on conflict (minute) do update set calls = zoho_api_minutes.calls + ${count}
      where zoho_api_minutes.calls + ${count} <= ${perMinute} and zoho_api_minutes.calls + ${count} + ${carried} <= ${rolling}
    returning calls`);
  if (paced.rows.length === 0) {
    await countRefused(db, now, limits.ZOHO_DAY_TIMEZONE);
    throw paceRefusal(perMinute);
  }
  return minute;
}

/** Gives back pace taken by reserveMinute and not used (a job that needed fewer calls than it planned). */
export async function releaseMinute(db: DbOrTx, minute: Date, count: number) {
  if (count <= 0) return;
  await db.execute(sql`update zoho_api_minutes set calls = greatest(0, calls - ${count}) where minute = ${minute.toISOString()}::timestamptz`);
}

const paceRefusal = (perMinute: number) => new ZohoError("rate_limited", `Paused: ${perMinute} Zoho calls per minute reached`, { local: true });

const SHARE_USED_UP: Record<CallPurpose, (share: number, zone: string) => string> = {
  sync: (share, zone) => `Today's Zoho sync share (${share} calls) is used up; sync resumes tomorrow (${zone})`,
  invoice: (share, zone) => `Today's Zoho share for order history (${share} calls) is used up; try again tomorrow (${zone})`,
  admin: (share, zone) => `Today's Zoho share for admin searches (${share} calls) is used up; try again tomorrow (${zone})`,
  mirror: (share, zone) => `Today's Zoho share for the mirror's reads (${share} calls) is used up; it reads on tomorrow (${zone})`,
};

async function countRefused(db: DbOrTx, now: Date, zone?: string) {
  await db.execute(sql`
    insert into zoho_api_ledger (day, refused) values (${ledgerDay(now, zone)}::date, 1)
    on conflict (day) do update set refused = zoho_api_ledger.refused + 1`);
}

/** Sync calls of a run that ended waiting (Zoho's 429 after a first call, for instance): spent, but no work done. */
export async function countWastedSyncCalls(db: DbOrTx, calls: number, now = new Date(), zone?: string) {
  if (calls <= 0) return;
  await db.execute(sql`
    insert into zoho_api_ledger (day, sync_wasted) values (${ledgerDay(now, zone)}::date, ${calls})
    on conflict (day) do update set sync_wasted = zoho_api_ledger.sync_wasted + ${calls}::int`);
}

/** Token refreshes go to Zoho Accounts, not Books: counted separately, outside the Books budget. */
export async function countTokenRefresh(db: DbOrTx, now = new Date(), zone?: string) {
  await db.execute(sql`
    insert into zoho_api_ledger (day, token_refreshes) values (${ledgerDay(now, zone)}::date, 1)
    on conflict (day) do update set token_refreshes = zoho_api_ledger.token_refreshes + 1`);
}

export type LedgerDay = { day: string; total: number; sync: number; invoice: number; admin: number; mirror: number; refused: number; tokenRefreshes: number; syncWasted: number };

/** The last `days` budget days, oldest first, with zeros for days without calls. */
export async function ledgerHistory(db: DbOrTx, days: number, now = new Date(), zone?: string): Promise<LedgerDay[]> {
  const dayOf = (back: number) => ledgerDay(budgetDayStart(now, zone ?? DEFAULT_DAY_TIMEZONE, -back), zone);
  const from = dayOf(days - 1);
  const result = await db.execute(sql`
    select day::text as day, total, sync, invoice, admin, mirror, refused, token_refreshes as "tokenRefreshes", sync_wasted as "syncWasted"
    from zoho_api_ledger where day >= ${from}::date order by day`);
  const byDay = new Map((result.rows as LedgerDay[]).map((r) => [r.day, r]));
  return Array.from({ length: days }, (_, i) => {
    const day = dayOf(days - 1 - i);
    return byDay.get(day) ?? { day, total: 0, sync: 0, invoice: 0, admin: 0, mirror: 0, refused: 0, tokenRefreshes: 0, syncWasted: 0 };
  });
}

export type ShareUse = { purpose: CallPurpose; share: number; used: number; remaining: number };

/** Today's use of each share (what the dashboard shows; the mirror's only when it is on). */
export function shareUse(today: LedgerDay, limits: LedgerLimits): ShareUse[] {
  return CALL_PURPOSES.filter((p) => p !== "mirror" || dailyCap(p, limits) > 0).map((purpose) => {
    const share = dailyCap(purpose, limits);
    const used = today[purpose];
    return { purpose, share, used, remaining: Math.max(0, share - used) };
  });
}

/** Calls left today for `purpose` (its own share only). */
export async function remainingToday(db: DbOrTx, limits: LedgerLimits, purpose: CallPurpose, now = new Date()) {
  const [today] = await ledgerHistory(db, 1, now, limits.ZOHO_DAY_TIMEZONE);
  return Math.max(0, Math.min(dailyCap(purpose, limits) - today[purpose], limits.ZOHO_DAILY_CALL_LIMIT - today.total));
}
