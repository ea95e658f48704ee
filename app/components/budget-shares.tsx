// Today's Zoho budget per share (sync, order history, admin searches): what each may spend, has spent and
// has left. Shares are never lent to each other (docs/decisions/010-budget-shares.md).
import type { CallPurpose, ShareUse } from "~/zoho/ledger.server";

const SHARE_LABEL: Record<CallPurpose, string> = {
  sync: "Customer sync",
  invoice: "Customers' order history",
  admin: "Admin searches in Zoho",
};

export function BudgetShares({ shares, refused }: { shares: ShareUse[]; refused: number }) {
  return (
    <div className="table-wrap">
      <table data-testid="budget-shares">
        <caption className="muted">Daily shares (UTC day); a share that runs out waits for tomorrow, it never takes from another.</caption>
        <thead>
          <tr>
            <th scope="col">Share</th>
            <th scope="col">Used</th>
            <th scope="col">Remaining</th>
            <th scope="col">Of</th>
          </tr>
        </thead>
        <tbody>
          {shares.map((s) => (
            <tr key={s.purpose} data-testid={`share-${s.purpose}`}>
              <th scope="row">{SHARE_LABEL[s.purpose]}</th>
              <td>{s.used}</td>
              <td>{s.remaining === 0 && s.share > 0 ? <strong>0 (used up)</strong> : s.remaining}</td>
              <td>{s.share}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{`Calls refused today to stay within the shares or the per-minute pace: ${refused}.`}</p>
    </div>
  );
}
