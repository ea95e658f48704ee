import { useLoaderData } from "@remix-run/react";
import { formatDateTime } from "~/components/format";
import type { DetailLoader } from "./page-types";
import { DataTable } from "~/components/tables";

const OUTCOME_TEXT: Record<string, string> = {
  synced: "Linked",
  skipped: "Sent to review",
  failed: "Failed",
  queued: "Queued",
  pending: "Reset to pending",
  manual: "Linked manually",
  retry_scheduled: "Retry scheduled",
  lease_expired: "Recovered after a worker stopped",
  waiting_rate_limited: "Waiting (per-minute limit)",
  waiting_daily_limit: "Waiting (daily budget used up)",
  waiting_reconnect_needed: "Waiting (reconnect Zoho)",
  waiting_not_connected: "Waiting (Zoho not connected)",
  waiting_health_check: "Waiting (is Zoho down? last attempt kept)",
  paused_outage: "Waiting (Zoho unavailable)",
  customer: "By the customer",
  link_holds: "Link still holds",
  profile_sent: "Sent to Zoho",
  profile_conflict: "Held for review (Zoho changed it too)",
  profile_not_sent: "Not sent",
};

const ACTION_TEXT: Record<string, string> = {
  admin_link: "admin link",
  admin_confirm: "admin confirmed link",
  admin_confirm_all: "admin confirmed all suggested links",
  admin_unlink: "admin unlink",
  email_confirmed: "email address confirmed",
  profile_updated: "details edited",
  details_checked: "details checked after taking the account back",
  account_taken_back: "password reset on a never-confirmed account (taken back)",
  email_change_requested: "new email address asked for",
  email_changed: "email address changed",
  email_change_cancelled: "email change cancelled",
  email_change_undone: "email change undone from the old address",
  link_revetted: "Zoho link re-checked after an email change",
  link_revetted_zoho: "Zoho link re-checked after a change in Zoho",
  update_contact: "details sent to Zoho",
};

/** Which fields a customer's own edit changed (account events name fields, never values). */
function fieldsOf(details: unknown): string | null {
  const fields = (details as { fields?: unknown } | null)?.fields;
  return Array.isArray(fields) && fields.length ? fields.join(", ") : null;
}

/** Everything that happened to this customer's sync, newest first. */
export function TimelineSection() {
  const { events } = useLoaderData<DetailLoader>();
  return (
    <section className="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Sync timeline</h2>
      {events.length === 0 ? (
        <p>Nothing has happened yet.</p>
      ) : (
        <DataTable columns={[{ header: "When" }, { header: "What" }, { header: "Outcome" }, { header: "Zoho calls" }, { header: "Details" }]}>
          {events.map((e) => (
            <tr key={e.id}>
              <td>{formatDateTime(e.at)}</td>
              <td>
                {ACTION_TEXT[e.action] ?? e.action.replace("admin_", "admin ").replace("_", " ")}
                {e.actor ? <span className="muted"> by {e.actor}</span> : null}
              </td>
              <td>
                {OUTCOME_TEXT[e.outcome] ?? e.outcome}
                {e.matchType ? <span className="muted"> ({e.matchType})</span> : null}
              </td>
              <td>{e.zohoCalls}</td>
              <td>{e.error ?? (fieldsOf(e.details) ? `Changed: ${fieldsOf(e.details)}` : e.durationMs !== null ? `${e.durationMs} ms` : "")}</td>
            </tr>
          ))}
        
        </DataTable>
      )}
    </section>
  );
}
