// Today's Zoho budget per share (sync, order history, admin searches): what each may spend, has spent and
// has left. Shares are never lent to each other (docs/decisions/011-budget-shares.md).
import type { CallPurpose, ShareUse } from "~/zoho/ledger.server";
import { formatDateTime } from "./format";
import { DataTable } from "./tables";

const SHARE_LABEL: Record<CallPurpose, string> = {
  sync: "Customer sync",
  invoice: "Customers' order history",
  admin: "Admin searches in Zoho",
  mirror: "Mirror of Zoho's directory",
};

export type BacklogView = { openJobs: number; callsPerJob: number; calls: number; finishesAt: string | null; perMinute: number };

export function BudgetShares({ shares, refused, backlog }: { shares: ShareUse[]; refused: number; backlog: BacklogView }) {
  return (
    <>
      <DataTable
        testId="budget-shares"
        caption="Daily shares (UTC day); a share that runs out waits for tomorrow, it never takes from another."
        columns={[{ header: "Share" }, { header: "Used" }, { header: "Remaining" }, { header: "Of" }]}
      >
        {shares.map((s) => (
          <tr key={s.purpose} data-testid={`share-${s.purpose}`}>
            <th scope="row">{SHARE_LABEL[s.purpose]}</th>
            <td>{s.used}</td>
            <td>{s.remaining === 0 && s.share > 0 ? <strong>0 (used up)</strong> : s.remaining}</td>
            <td>{s.share}</td>
          </tr>
        ))}
      </DataTable>
      <p data-testid="backlog-eta">
        {backlog.openJobs === 0 ? (
          "No sync backlog."
        ) : backlog.finishesAt ? (
          <>
            {`Sync backlog: ${backlog.openJobs} jobs, about ${backlog.calls} Zoho calls (${backlog.callsPerJob.toFixed(2)} a job lately); at ${backlog.perMinute} a minute within the sync share, done by `}
            <time dateTime={backlog.finishesAt}>{formatDateTime(backlog.finishesAt)}</time>.
          </>
        ) : (
          `Sync backlog: ${backlog.openJobs} jobs; the sync share is 0, so it will not finish until the shares change.`
        )}
      </p>
      <p className="muted">{`Calls refused today to stay within the shares or the per-minute pace: ${refused}.`}</p>
    </>
  );
}
