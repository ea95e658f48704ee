// Hourly housekeeping alongside the sweep: tables that only grow get trimmed. Sessions past expiry
// (including abandoned registration drafts), per-minute pacing counters older than a day, throttle rows
// whose window is long over, and invoice pages nobody has read for a week.
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db/client.server";

export async function housekeeping(db: DbOrTx, now = new Date()) {
  const iso = (ms: number) => new Date(now.getTime() - ms).toISOString();
  const result = await db.execute(sql`
    with s as (delete from sessions where expires_at < ${now.toISOString()}::timestamptz returning 1),
         m as (delete from zoho_api_minutes where minute < ${iso(86_400_000)}::timestamptz returning 1),
         t as (delete from auth_throttle where window_started_at < ${iso(86_400_000)}::timestamptz
                 and (locked_until is null or locked_until < ${now.toISOString()}::timestamptz) returning 1),
         i as (delete from zoho_invoice_cache where fetched_at < ${iso(7 * 86_400_000)}::timestamptz returning 1)
    select (select count(*) from s)::int as sessions, (select count(*) from m)::int as minutes,
           (select count(*) from t)::int as throttles, (select count(*) from i)::int as invoices`);
  return result.rows[0] as { sessions: number; minutes: number; throttles: number; invoices: number };
}
