// What the customer did to their own account, on the same timeline admins read for sync
// (zoho_sync_events): confirmations, profile edits, email changes. Details name the fields that changed,
// never their values, so the timeline holds no copy of personal data.
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db/client.server";

export const ACCOUNT_EVENTS = {
  emailConfirmed: "email_confirmed",
  profileUpdated: "profile_updated",
  detailsChecked: "details_checked",
  takenBack: "account_taken_back",
  emailChangeRequested: "email_change_requested",
  emailChanged: "email_changed",
  emailChangeCancelled: "email_change_cancelled",
  emailChangeUndone: "email_change_undone",
  linkRevetted: "link_revetted",
} as const;
export type AccountEvent = (typeof ACCOUNT_EVENTS)[keyof typeof ACCOUNT_EVENTS];

/** The outcome column of these rows: what the customer did, as opposed to what a sync run did. */
export const ACCOUNT_OUTCOME = "customer";

/** One row on the timeline of the customer behind `userId` (none when the account has no customer). */
export async function recordAccountEvent(
  db: DbOrTx,
  userId: string,
  action: AccountEvent,
  opts: { details?: Record<string, unknown>; outcome?: string; actorUserId?: string | null; error?: string } = {},
) {
  await db.execute(sql`
    insert into zoho_sync_events (customer_id, action, outcome, actor_user_id, details, error)
    select id, ${action}, ${opts.outcome ?? ACCOUNT_OUTCOME}, ${opts.actorUserId === undefined ? userId : opts.actorUserId},
      ${opts.details ? JSON.stringify(opts.details) : null}::jsonb, ${opts.error ?? null}
    from customers where user_id = ${userId}::uuid`);
}
