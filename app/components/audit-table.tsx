// The admin audit log as a table: on /admin/audit (every admin, every customer) and on a customer's page.
import { Link } from "@remix-run/react";
import type { AuditRow } from "~/audit/audit.server";
import { formatDateTime } from "./format";
import { DataTable } from "./tables";

/** A bulk action names at most this many customers on screen; the CSV has them all. */
const SHOWN_IDS = 20;

function Customers({ ids, count, here }: { ids: string[]; count: number | null; here?: string }) {
  if (ids.length === 0) return count ? <>{`${count} customers`}</> : <span className="muted">—</span>;
  if (ids.length === 1)
    return ids[0] === here ? <span className="muted">this customer</span> : <Link to={`/admin/customers/${ids[0]}`}>{`${ids[0].slice(0, 8)}…`}</Link>;
  return (
    <details>
      <summary>{`${count ?? ids.length} customers`}</summary>
      <ul className="plain">
        {ids.slice(0, SHOWN_IDS).map((id) => (
          <li key={id}>
            <Link to={`/admin/customers/${id}`}>{id}</Link>
          </li>
        ))}
      </ul>
      {ids.length > SHOWN_IDS ? <p className="muted">{`and ${ids.length - SHOWN_IDS} more (all in the CSV)`}</p> : null}
    </details>
  );
}

/** Rows newest first. `here`: the customer whose page this is (their own id is not linked). */
export function AuditTable({ rows, caption, here }: { rows: AuditRow[]; caption: string; here?: string }) {
  return (
    <DataTable
      caption={caption}
      captionStyle="sr-only"
      scrollRegion={caption}
      testId="audit-log"
      columns={[{ header: "When" }, { header: "Admin" }, { header: "Action" }, { header: "Customers" }, { header: "What changed" }, { header: "Why", hideSmall: true }, { header: "From address", hideSmall: true }]}
    >
      {rows.map((r) => (
        <tr key={r.id}>
          <td>{formatDateTime(r.at)}</td>
          <td>{r.adminEmail ?? (r.adminId ? `${r.adminId.slice(0, 8)}… (removed)` : "—")}</td>
          <td>{r.label}</td>
          <td>
            <Customers ids={r.customerIds} count={r.count} here={here} />
          </td>
          <td>
            {r.contactId ? <span>{`Zoho contact ${r.contactId}`}</span> : null}
            {r.contactId && r.change ? <br /> : null}
            {r.change ?? (r.contactId ? null : <span className="muted">—</span>)}
          </td>
          <td className="hide-sm">{r.reason ?? <span className="muted">—</span>}</td>
          <td className="hide-sm">{r.clientAddress ?? <span className="muted">unknown</span>}</td>
        </tr>
      ))}
    </DataTable>
  );
}
