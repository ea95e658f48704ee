// "Confirm all suggested links" (issue 11): an admin confirms, in one step, the name-only suggestions
// that are safe to take as they are: exactly one candidate, the candidate linked to nobody else (and
// suggested to nobody else), and the customer's own email verified. Everything else stays in review.
import { sql } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import type { DbOrTx } from "~/db/client.server";
import type { ZohoCandidate } from "./vocabulary";
import { writeAdminLink } from "./run/settle.server";

/** At most this many per click, so one request stays short; the button shows what is left. */
export const CONFIRM_ALL_LIMIT = 200;

const ELIGIBLE = sql`
  select c.id, c.zoho_contact_id as "zohoContactId", c.zoho_sync_candidates -> 0 as candidate,
    count(*) over (partition by c.zoho_sync_candidates -> 0 ->> 'contactId') as suggested_to
  from customers c join users u on u.id = c.user_id
  where c.zoho_sync_status = 'skipped' and c.zoho_review_reason = 'name_only'
    and jsonb_typeof(c.zoho_sync_candidates) = 'array' and jsonb_array_length(c.zoho_sync_candidates) = 1
    and u.email_verified_at is not null and lower(u.email) = lower(c.email)
    and not exists (select 1 from customers o where o.zoho_contact_id = c.zoho_sync_candidates -> 0 ->> 'contactId')`;

/** How many suggestions "Confirm all" would link right now. */
export async function countSuggestedLinks(db: DbOrTx): Promise<number> {
  const result = await db.execute(sql`select count(*)::int as n from (${ELIGIBLE}) e where suggested_to = 1`);
  return Number((result.rows[0] as { n: number }).n);
}

/** Links every eligible suggestion as the admin's confirmation; returns the customers linked. */
export async function confirmAllSuggestedLinks(app: AppServices, adminId: string): Promise<string[]> {
  return app.db.transaction(async (tx) => {
    const result = await tx.execute(sql`
      select e.* from (${ELIGIBLE}) e join customers c on c.id = e.id
      where suggested_to = 1 order by e.id limit ${CONFIRM_ALL_LIMIT} for update of c skip locked`);
    const rows = result.rows as Array<{ id: string; zohoContactId: string | null; candidate: ZohoCandidate }>;
    for (const row of rows) await writeAdminLink(tx, row, row.candidate, { adminId, zohoCalls: 0, how: "confirm_all" });
    return rows.map((r) => r.id);
  });
}
