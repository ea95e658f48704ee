// The Zoho call log as a table: on /admin/zoho-calls and on a customer's page ("what did Zoho say").
import { Link } from "@remix-run/react";
import type { CallLogPurpose } from "~/zoho/call-log";
import type { ZohoCallRow } from "~/zoho/call-log.server";
import { formatDateTime } from "./format";
import { DataTable } from "./tables";

export const CALL_PURPOSE_TEXT: Record<CallLogPurpose, string> = {
  sync: "Sync",
  invoice: "Order history",
  admin: "Admin search or link",
  mirror: "Mirror of Zoho (reads)",
  token: "Zoho Accounts (token)",
};

const answered = (r: ZohoCallRow) =>
  r.httpStatus === null ? "no answer" : `HTTP ${r.httpStatus}${r.zohoCode !== null ? `, code ${r.zohoCode}` : ""}`;

export function ZohoCallTable({ rows, caption, showCustomer = true }: { rows: ZohoCallRow[]; caption: string; showCustomer?: boolean }) {
  return (
    <DataTable
      caption={caption}
      captionStyle="sr-only"
      scrollRegion={caption}
      testId="zoho-calls"
      columns={[
        { header: "When" },
        { header: "For" },
        { header: "Call" },
        { header: "Answer" },
        { header: "Zoho said" },
        { header: "Time", hideSmall: true },
        ...(showCustomer ? [{ header: "Customer", hideSmall: true }] : []),
      ]}
    >
      {rows.map((r) => (
        <tr key={r.id}>
          <td>{formatDateTime(r.at)}</td>
          <td>{CALL_PURPOSE_TEXT[r.purpose] ?? r.purpose}</td>
          <td>
            <code>{`${r.method} ${r.path}`}</code>
          </td>
          <td>{answered(r)}</td>
          <td>{r.message ?? <span className="muted">—</span>}</td>
          <td className="hide-sm">{`${r.durationMs} ms`}</td>
          {showCustomer ? (
            <td className="hide-sm">{r.customerId ? <Link to={`/admin/customers/${r.customerId}`}>{`${r.customerId.slice(0, 8)}…`}</Link> : <span className="muted">—</span>}</td>
          ) : null}
        </tr>
      ))}
    </DataTable>
  );
}
