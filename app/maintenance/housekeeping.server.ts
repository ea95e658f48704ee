// Hourly housekeeping (app/maintenance/hourly.server.ts): tables that only grow get trimmed. Sessions past expiry
// (including abandoned registration drafts), per-minute pacing counters older than a day, throttle rows
// whose window is long over, invoice pages nobody has read for a week, email links past use, sent mail
// after 30 days, admin invitations 30 days after they were accepted, revoked or expired (they hold an address),
// and accounts whose owner never confirmed the email within 7 days (with their customer row and its never-run
// job: nothing of theirs ever reached Zoho).
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db/client.server";

export async function housekeeping(db: DbOrTx, now = new Date()) {
  const iso = (ms: number) => new Date(now.getTime() - ms).toISOString();
  const nowIso = now.toISOString();
  const result = await db.execute(sql`
    with s as (delete from sessions where expires_at < ${nowIso}::timestamptz returning 1),
         m as (delete from zoho_api_minutes where minute < ${iso(86_400_000)}::timestamptz returning 1),
         t as (delete from auth_throttle where window_started_at < ${iso(86_400_000)}::timestamptz
                 and (locked_until is null or locked_until < ${nowIso}::timestamptz) returning 1),
         i as (delete from zoho_invoice_cache where fetched_at < ${iso(7 * 86_400_000)}::timestamptz returning 1),
         e as (delete from email_tokens where expires_at < ${iso(86_400_000)}::timestamptz returning 1),
         o as (delete from email_outbox where sent_at < ${iso(30 * 86_400_000)}::timestamptz returning 1),
         ai as (delete from admin_invitations where coalesce(accepted_at, revoked_at, expires_at) < ${iso(30 * 86_400_000)}::timestamptz returning 1),
         stale as (select id from users where role = 'customer' and email_verified_at is null
                     and remove_unverified_after < ${nowIso}::timestamptz),
         c as (delete from customers where user_id in (select id from stale) and zoho_contact_id is null returning 1),
         u as (delete from users where id in (select id from stale)
                 and not exists (select 1 from customers where customers.user_id = users.id and customers.zoho_contact_id is not null)
               returning 1)
    select (select count(*) from s)::int as sessions, (select count(*) from m)::int as minutes,
           (select count(*) from t)::int as throttles, (select count(*) from i)::int as invoices,
           (select count(*) from e)::int as email_links, (select count(*) from o)::int as mails,
           (select count(*) from ai)::int as admin_invitations,
           (select count(*) from u)::int as unverified_accounts, (select count(*) from c)::int as unverified_customers`);
  return result.rows[0] as {
    sessions: number;
    minutes: number;
    throttles: number;
    invoices: number;
    email_links: number;
    mails: number;
    admin_invitations: number;
    unverified_accounts: number;
    unverified_customers: number;
  };
}
