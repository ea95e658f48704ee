// Optional failure alerts: a Slack-compatible webhook (FAILURE_WEBHOOK_URL), at most once per
// customer per failure, and once per Zoho outage (the outage store hands out the start once). The flag is claimed atomically, so concurrent runs cannot both send; it is
// cleared when the customer leaves "failed" (retry, reset, manual link), arming the next alert.
import { sql } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import { log } from "~/log.server";
import { formatDateTime } from "~/components/format";
import type { OutageState } from "./outage";

export async function notifyFailure(app: AppServices, customerId: string, error: string | null) {
  const url = app.env.FAILURE_WEBHOOK_URL;
  if (!url) return false;
  const claimed = await app.db.execute(sql`
    update customers set zoho_failure_notified_at = now()
    where id = ${customerId} and zoho_sync_status = 'failed' and zoho_failure_notified_at is null
    returning first_name, last_name, email`);
  const row = claimed.rows[0] as { first_name: string; last_name: string; email: string } | undefined;
  if (!row) return false;
  const link = new URL(`/admin/customers/${customerId}`, app.env.APP_URL).toString();
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        text: `Zoho sync failed for ${row.first_name} ${row.last_name} (${row.email}): ${error ?? "unknown error"}. <${link}|Open in the admin console>`,
      }),
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) throw new Error(`webhook answered ${res.status}`);
    return true;
  } catch (e) {
    // Un-claim so the next failure run can try again; the failure itself is already stored.
    await app.db.execute(sql`update customers set zoho_failure_notified_at = null where id = ${customerId}`);
    log("warn", "failure webhook could not be delivered", { customerId, error: e });
    return false;
  }
}

/** Sync paused because Zoho is unavailable: one message per incident; it resumes by itself. */
export async function notifyOutage(app: AppServices, state: OutageState) {
  const url = app.env.FAILURE_WEBHOOK_URL;
  if (!url || !state.since) return false;
  const link = new URL("/admin", app.env.APP_URL).toString();
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        text: `Zoho Books unavailable since ${formatDateTime(state.since)} (${state.lastError ?? "no answer"}). Sync is paused and resumes by itself when Zoho answers; no customer is failed because of it. <${link}|Dashboard>`,
      }),
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) throw new Error(`webhook answered ${res.status}`);
    return true;
  } catch (e) {
    log("warn", "outage webhook could not be delivered", { error: e });
    return false;
  }
}
