// Admin alerts, one way out for every kind: the Slack-compatible webhook (FAILURE_WEBHOOK_URL) and
// mail to ADMIN_ALERT_EMAILS (through the outbox, so a failed send is retried). Incidents (sync
// stalled: reconnect needed, budget used up, Zoho unavailable…) are announced once when they open and
// once when they end; failures are collected into a digest, at most one per ALERT_DIGEST_MINUTES.
import { sql } from "drizzle-orm";
import { reconciliationTotal } from "~/zoho/mirror/reconciliation.server";
import type { AppServices } from "~/context.server";
import { sendSoon } from "~/email/outbox.server";
import { failureDigestMail, incidentMail, type MailContent } from "~/email/templates";
import { log } from "~/log.server";

export const INCIDENT_TITLES = {
  reconnect_needed: "Zoho Books must be reconnected: customer sync has stopped",
  budget_exhausted: "Today's Zoho API budget is used up: customer sync waits until tomorrow (UTC)",
  zoho_unavailable: "Zoho Books is not answering: customer sync is paused",
} as const;
export type IncidentKind = keyof typeof INCIDENT_TITLES;

export function alertRecipients(app: AppServices): string[] {
  return (app.env.ADMIN_ALERT_EMAILS ?? "").split(",").map((a) => a.trim()).filter(Boolean);
}

/** Posts to the webhook; false (and a log line without the URL, which is a secret) when it fails. */
export async function postWebhook(app: AppServices, text: string): Promise<boolean> {
  const url = app.env.FAILURE_WEBHOOK_URL;
  if (!url) return false;
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text }),
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) throw new Error(`webhook answered ${res.status}`);
    return true;
  } catch (error) {
    log("warn", "alert webhook could not be delivered", { error: error instanceof Error ? error.message : String(error) });
    return false;
  }
}

async function mailAdmins(app: AppServices, content: MailContent) {
  const to = alertRecipients(app);
  if (to.length) await sendSoon(app, app.db, to.map((address) => ({ kind: "alert" as const, to: address, content })));
}

/** Opens an incident; announces it only if it was not already open. Returns whether it was announced. */
export async function raiseIncident(app: AppServices, kind: IncidentKind, details: string): Promise<boolean> {
  const opened = await app.db.execute(sql`
    insert into admin_alerts (kind, open_since, details) values (${kind}, now(), ${details})
    on conflict (kind) do update set open_since = now(), details = excluded.details where admin_alerts.open_since is null
    returning kind`);
  if (opened.rows.length === 0) return false;
  const title = INCIDENT_TITLES[kind];
  log("warn", "incident opened", { kind });
  await postWebhook(app, `:warning: ${title}. ${details} <${new URL("/admin", app.env.APP_URL)}|Open the admin dashboard>`);
  await mailAdmins(app, incidentMail({ appUrl: app.env.APP_URL, title, details, resolved: false }));
  return true;
}

/** Closes an open incident and announces the recovery once. Returns whether it was open. */
export async function resolveIncident(app: AppServices, kind: IncidentKind): Promise<boolean> {
  const closed = await app.db.execute(sql`
    update admin_alerts set open_since = null where kind = ${kind} and open_since is not null returning kind`);
  if (closed.rows.length === 0) return false;
  const title = INCIDENT_TITLES[kind];
  log("info", "incident resolved", { kind });
  await postWebhook(app, `:white_check_mark: Resolved: ${title}.`);
  await mailAdmins(app, incidentMail({ appUrl: app.env.APP_URL, title, details: "", resolved: true }));
  return true;
}

const DIGEST_LIST = 20;

type DigestRow = { id: string; first_name: string; last_name: string; email: string; zoho_sync_error: string | null; grp: "failed" | "review" | "duplicate"; total: number };

/**
 * Mails the admin digest if the last one is at least ALERT_DIGEST_MINUTES old: the customers whose sync
 * failed, those that went to review, and the possible duplicates, since the last digest. Called after every
 * failure or review case and by the hourly sweep; the row lock makes concurrent callers send one digest.
 * Returns how many customers it reported.
 */
export async function sendFailureDigest(app: AppServices, now = new Date()): Promise<number> {
  if (alertRecipients(app).length === 0) return 0;
  const intervalMs = app.env.ALERT_DIGEST_MINUTES * 60_000;
  return app.db.transaction(async (tx) => {
    await tx.execute(sql`insert into admin_alerts (kind) values ('failure_digest') on conflict (kind) do nothing`);
    const [state] = (await tx.execute(sql`select last_sent_at from admin_alerts where kind = 'failure_digest' for update`)).rows as Array<{ last_sent_at: string | Date | null }>;
    const since = state.last_sent_at ? new Date(state.last_sent_at) : null;
    if (since && now.getTime() - since.getTime() < intervalMs) return 0;
    const rows = (
      await tx.execute(sql`
        select * from (
          select *, row_number() over (partition by grp order by zoho_last_sync_at desc) as k, count(*) over (partition by grp) as total from (
            select id, first_name, last_name, email, zoho_sync_error, zoho_last_sync_at,
              case when zoho_sync_status = 'failed' then 'failed' when zoho_sync_status = 'skipped' then 'review' else 'duplicate' end as grp
            from customers
            where (zoho_sync_status in ('failed', 'skipped') or (zoho_sync_status = 'synced' and zoho_review_reason = 'possible_duplicate'))
              ${since ? sql`and zoho_last_sync_at > ${since.toISOString()}::timestamptz` : sql``}) c) ranked
        where k <= ${DIGEST_LIST} order by grp, k`)
    ).rows as DigestRow[];
    // The reconciliation's count (null while the mirror is off) rides on every digest; it sends one by itself only
    // when it grew since the last digest that carried it (a standing difference is not mailed every interval).
    const differences = await reconciliationTotal(tx, app.env);
    const [reported] = (await tx.execute(sql`select details from admin_alerts where kind = 'reconciliation_digest'`)).rows as Array<{ details: string | null }>;
    const differencesGrew = differences !== null && differences > Number(reported?.details ?? 0);
    // The count as it stands now (so a fall and a rise again mails again).
    if (differences !== null)
      await tx.execute(sql`
        insert into admin_alerts (kind, details) values ('reconciliation_digest', ${String(differences)})
        on conflict (kind) do update set details = excluded.details`);
    if (rows.length === 0 && !differencesGrew) return 0;
    await tx.execute(sql`update admin_alerts set last_sent_at = ${now.toISOString()}::timestamptz where kind = 'failure_digest'`);
    const group = (grp: DigestRow["grp"]) => {
      const of = rows.filter((r) => r.grp === grp);
      return {
        customers: of.map((c) => ({ id: c.id, name: `${c.first_name} ${c.last_name}`, email: c.email, error: c.zoho_sync_error })),
        more: of.length ? Number(of[0].total) - of.length : 0,
      };
    };
    const failed = group("failed");
    const content = failureDigestMail({ appUrl: app.env.APP_URL, ...failed, review: group("review"), duplicates: group("duplicate"), reconciliation: differences ?? 0 });
    await sendSoon(app, tx, alertRecipients(app).map((to) => ({ kind: "alert" as const, to, content })));
    return [...new Set(rows.map((r) => r.grp))].reduce((n, grp) => n + Number(rows.find((r) => r.grp === grp)!.total), 0);
  });
}
