// The customer's edited details on their way to Zoho (docs/decisions/039-profile-updates-to-zoho.md): where the
// latest edit stands and, when Zoho's copy changed the same field since the last update, both values.
import { useLoaderData } from "@remix-run/react";
import { formatDateTime } from "~/components/format";
import { DataTable } from "~/components/tables";
import { FIELD_LABEL } from "~/sync/profile-update";
import type { ProfileUpdateState } from "~/sync/vocabulary";
import type { DetailLoader } from "./page-types";

const STATE_TEXT: Record<ProfileUpdateState, string> = {
  pending: "Waiting to be sent to Zoho",
  sent: "Sent to Zoho",
  conflict: "Held: Zoho's copy changed the same field since the last update (nothing was overwritten)",
  failed: "Not sent: Zoho failed on every attempt (the customer's page says our team will look)",
  not_sent: "Not sent",
};

export function ZohoUpdateSection() {
  const { profileUpdate: u } = useLoaderData<DetailLoader>();
  if (!u) return null;
  return (
    <section className="card" aria-labelledby="zoho-update-title">
      <h2 id="zoho-update-title">Details edited by the customer</h2>
      <dl className="facts">
        <dt>To Zoho</dt>
        <dd data-testid="zoho-update-state">{STATE_TEXT[u.status]}</dd>
        <dt>Last edit</dt>
        <dd>{formatDateTime(u.requestedAt)}</dd>
        {u.sentAt ? (
          <>
            <dt>Last run</dt>
            <dd>{formatDateTime(u.sentAt)}</dd>
          </>
        ) : null}
        {u.note ? (
          <>
            <dt>Note</dt>
            <dd>{u.note}</dd>
          </>
        ) : null}
      </dl>
      {u.conflicts?.length ? (
        <>
          <DataTable
            testId="zoho-update-conflicts"
            caption="Fields both the customer and someone in Zoho changed"
            columns={[{ header: "Field" }, { header: "The customer saved" }, { header: "Zoho has" }]}
          >
            {u.conflicts.map((c) => (
              <tr key={c.field}>
                <td>{FIELD_LABEL[c.field]}</td>
                <td>{c.portal}</td>
                <td>{c.zoho}</td>
              </tr>
            ))}
          </DataTable>
          <p className="muted">
            Decide which is right and change it in Zoho Books or ask the customer to save their details again; an edit that matches Zoho clears this.
          </p>
        </>
      ) : null}
    </section>
  );
}
