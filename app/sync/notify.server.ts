// Failure alerts: the webhook at most once per customer per failure (the flag is claimed atomically,
// so concurrent runs cannot both send; it is cleared when the customer leaves "failed", arming the
// next alert), and the admin digest (app/alerts), which collects failures, review cases and possible
// duplicates into one mail per interval.
import { sql } from "drizzle-orm";
import { postWebhook, sendFailureDigest } from "~/alerts/alerts.server";
import type { AppServices } from "~/context.server";
import { log } from "~/log.server";

export async function notifyFailure(app: AppServices, customerId: string, error: string | null) {
  await sendFailureDigest(app).catch((e) => log("warn", "failure digest could not be prepared", { error: e }));
  if (!app.env.FAILURE_WEBHOOK_URL) return false;
  const claimed = await app.db.execute(sql`
    update customers set zoho_failure_notified_at = now()
    where id = ${customerId} and zoho_sync_status = 'failed' and zoho_failure_notified_at is null
    returning first_name, last_name, email`);
  const row = claimed.rows[0] as { first_name: string; last_name: string; email: string } | undefined;
  if (!row) return false;
  const link = new URL(`/admin/customers/${customerId}`, app.env.APP_URL).toString();
  const sent = await postWebhook(
    app,
    `Zoho sync failed for ${row.first_name} ${row.last_name} (${row.email}): ${error ?? "unknown error"}. <${link}|Open in the admin console>`,
  );
  // Un-claim so the next failure run can try again; the failure itself is already stored.
  if (!sent) await app.db.execute(sql`update customers set zoho_failure_notified_at = null where id = ${customerId}`);
  return sent;
}

/** A customer went to review (or was flagged as a possible duplicate): the admin digest, when its interval allows. */
export async function notifyReview(app: AppServices) {
  await sendFailureDigest(app).catch((e) => log("warn", "admin digest could not be prepared", { error: e }));
}
