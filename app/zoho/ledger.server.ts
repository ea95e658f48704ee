// The daily call ledger: every Zoho Books call is counted BEFORE it is made, in one atomic statement
// per counter, so parallel consumers can never spend more than the budget together.
//  - total never exceeds ZOHO_DAILY_CALL_LIMIT (our share of the organisation's shared daily pool);
//  - sync work stops at limit − ZOHO_INVOICE_RESERVE, leaving the reserve to customers' invoice pages
//    and admins' live searches;
//  - each minute, sync work stays under ZOHO_CALLS_PER_MINUTE and everything under Zoho's 100.
// Days are UTC days (Zoho documents no reset time zone; see docs/zoho-facts.md).
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db/client.server";
import type { AppEnv } from "~/env.server";
import { ZohoError } from "./errors";

export type CallPurpose = "sync" | "invoice" | "admin";
export const ZOHO_PER_MINUTE_LIMIT = 100;

type LedgerLimits = Pick<AppEnv, "ZOHO_DAILY_CALL_LIMIT" | "ZOHO_INVOICE_RESERVE" | "ZOHO_CALLS_PER_MINUTE">;

export const utcDay = (now: Date) => now.toISOString().slice(0, 10);

/** The most calls `purpose` may have spent in total today before it must stop. */
export function dailyCap(purpose: CallPurpose, limits: LedgerLimits) {
  const limit = limits.ZOHO_DAILY_CALL_LIMIT;
  return purpose === "sync" ? Math.max(0, limit - Math.min(limits.ZOHO_INVOICE_RESERVE, limit)) : limit;
}

function minuteCap(purpose: CallPurpose, limits: LedgerLimits) {
  // Production config caps ZOHO_CALLS_PER_MINUTE at Zoho's 100 (env.server.ts); tests may raise it.
  return purpose === "sync" ? limits.ZOHO_CALLS_PER_MINUTE : Math.max(ZOHO_PER_MINUTE_LIMIT, limits.ZOHO_CALLS_PER_MINUTE);
}

const column = { sync: sql.raw("sync"), invoice: sql.raw("invoice"), admin: sql.raw("admin") };

/** Reserves `count` calls or throws ZohoError("rate_limited" | "daily_limit", local). */
export async function reserveCalls(
  db: DbOrTx,
  limits: LedgerLimits,
  purpose: CallPurpose,
  count = 1,
  now = new Date(),
): Promise<void> {
  const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const perMinute = minuteCap(purpose, limits);
  const paced = await db.execute(sql`
    insert into zoho_api_minutes (minute, calls) select ${minute.toISOString()}::timestamptz, ${count}
      where ${count} <= ${perMinute}
    on conflict (minute) do update set calls = zoho_api_minutes.calls + ${count}
      where zoho_api_minutes.calls + ${count} <= ${perMinute}
    returning calls`);
  if (paced.rows.length === 0) {
    await countRefused(db, now);
    throw new ZohoError("rate_limited", `Paused: ${perMinute} Zoho calls per minute reached`, { local: true });
  }

  const cap = dailyCap(purpose, limits);
  const col = column[purpose];
  const day = utcDay(now);
  const spent = await db.execute(sql`
    insert into zoho_api_ledger (day, total, ${col}) select ${day}::date, ${count}, ${count} where ${count} <= ${cap}
    on conflict (day) do update set total = zoho_api_ledger.total + ${count}, ${col} = zoho_api_ledger.${col} + ${count}
      where zoho_api_ledger.total + ${count} <= ${cap}
    returning total`);
  if (spent.rows.length === 0) {
    await countRefused(db, now);
    throw new ZohoError(
      "daily_limit",
      purpose === "sync"
        ? `Today's Zoho sync budget (${cap} calls) is used up; sync resumes tomorrow (UTC)`
        : `Today's Zoho call limit (${cap} calls) is used up; try again tomorrow (UTC)`,
      { local: true },
    );
  }
}

async function countRefused(db: DbOrTx, now: Date) {
  await db.execute(sql`
    insert into zoho_api_ledger (day, refused) values (${utcDay(now)}::date, 1)
    on conflict (day) do update set refused = zoho_api_ledger.refused + 1`);
}

/** Token refreshes go to Zoho Accounts, not Books: counted separately, outside the Books budget. */
export async function countTokenRefresh(db: DbOrTx, now = new Date()) {
  await db.execute(sql`
    insert into zoho_api_ledger (day, token_refreshes) values (${utcDay(now)}::date, 1)
    on conflict (day) do update set token_refreshes = zoho_api_ledger.token_refreshes + 1`);
}

export type LedgerDay = { day: string; total: number; sync: number; invoice: number; admin: number; refused: number; tokenRefreshes: number };

/** The last `days` UTC days, oldest first, with zeros for days without calls. */
export async function ledgerHistory(db: DbOrTx, days: number, now = new Date()): Promise<LedgerDay[]> {
  const from = utcDay(new Date(now.getTime() - (days - 1) * 86_400_000));
  const result = await db.execute(sql`
    select day::text as day, total, sync, invoice, admin, refused, token_refreshes as "tokenRefreshes"
    from zoho_api_ledger where day >= ${from}::date order by day`);
  const byDay = new Map((result.rows as LedgerDay[]).map((r) => [r.day, r]));
  return Array.from({ length: days }, (_, i) => {
    const day = utcDay(new Date(now.getTime() - (days - 1 - i) * 86_400_000));
    return byDay.get(day) ?? { day, total: 0, sync: 0, invoice: 0, admin: 0, refused: 0, tokenRefreshes: 0 };
  });
}

/** Calls left today for `purpose`. */
export async function remainingToday(db: DbOrTx, limits: LedgerLimits, purpose: CallPurpose, now = new Date()) {
  const [today] = await ledgerHistory(db, 1, now);
  return Math.max(0, dailyCap(purpose, limits) - today.total);
}
