// The dashboard's cards for the mirror of Zoho's directory (docs/decisions/036-zoho-mirror.md): how far its first
// full read is and when it may finish, how fresh it is; and what differs between the portal and Zoho.
import { Link } from "@remix-run/react";
import { RECONCILIATION_KINDS, RECONCILIATION_LABEL, type ReconciliationKind } from "~/common/reconciliation";
import type { FullReadEta, MirrorProgress } from "~/zoho/mirror/progress";
import { formatDateTime } from "./format";

const n = (v: number) => v.toLocaleString("en-US");

function etaText(eta: FullReadEta): string {
  switch (eta.kind) {
    case "none":
      return "";
    case "unknown":
      return eta.pagesPerDay > 0
        ? `Zoho does not say how many contacts and invoices there are, so no finish time can be given: at this share the read covers up to ${n(eta.pagesPerDay * 200)} contacts or invoices a day (${eta.pagesPerDay} pages of 200).`
        : "The mirror's share allows no reads: the read does not move on.";
    case "today":
      return `Expected to finish today, within about ${eta.runs} more hourly ${eta.runs === 1 ? "run" : "runs"}.`;
    case "days":
      return `Expected to finish in about ${eta.days} more ${eta.days === 1 ? "day" : "days"} at ${eta.pagesPerDay} pages of 200 a day.`;
  }
}

export function MirrorCard({ mirror }: { mirror: MirrorProgress }) {
  return (
    <section className="card" aria-labelledby="mirror-title" data-testid="mirror-card">
      <h2 id="mirror-title">Mirror of Zoho&apos;s directory</h2>
      {mirror.stage === "off" ? (
        <p data-testid="mirror-stage">Off (MIRROR_FULL_READ_DAILY_CALLS is 0): every lookup and order history page asks Zoho live.</p>
      ) : (
        <>
          <p data-testid="mirror-stage">
            {mirror.stage === "complete"
              ? `Complete since ${formatDateTime(mirror.completedAt!)}: matching and order history read the copy, kept fresh by incremental reads.`
              : mirror.phase
                ? `First full read under way: reading ${mirror.phase}, page ${mirror.nextPage} next (200 a page). Until it completes, sync looks up live as before.`
                : "First full read not started yet: it starts with the next hourly run. Until it completes, sync looks up live as before."}
          </p>
          <dl className="facts">
            <dt>Contacts held</dt>
            <dd data-testid="mirror-contacts">{n(mirror.contacts)}</dd>
            <dt>Invoices held</dt>
            <dd data-testid="mirror-invoices">{n(mirror.invoices)}</dd>
            <dt>Mirror share today</dt>
            <dd>{`${mirror.usedToday} of ${mirror.share} calls`}</dd>
            {mirror.stage === "complete" ? (
              <>
                <dt>Contacts last refreshed</dt>
                <dd data-testid="mirror-refreshed">{mirror.contactsRefreshedAt ? formatDateTime(mirror.contactsRefreshedAt) : "Marked stale: refreshed by the next decision or hourly run"}</dd>
                <dt>Invoices last refreshed</dt>
                <dd>{mirror.invoicesRefreshedAt ? formatDateTime(mirror.invoicesRefreshedAt) : "Not yet"}</dd>
              </>
            ) : mirror.startedAt ? (
              <>
                <dt>Started</dt>
                <dd>{formatDateTime(mirror.startedAt)}</dd>
              </>
            ) : null}
            {mirror.lastError ? (
              <>
                <dt>Last read error</dt>
                <dd>{mirror.lastError}</dd>
              </>
            ) : null}
          </dl>
          {mirror.stage === "reading" ? <p data-testid="mirror-eta">{etaText(mirror.eta)}</p> : null}
        </>
      )}
    </section>
  );
}

export function ReconciliationCard({ reconciliation }: { reconciliation: { counts: Record<ReconciliationKind, number>; countedAt: string } | null }) {
  const counts = reconciliation?.counts ?? null;
  const total = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : 0;
  return (
    <section className="card" aria-labelledby="reconciliation-card-title" data-testid="reconciliation-card">
      <h2 id="reconciliation-card-title">Portal and Zoho differences</h2>
      {!counts ? (
        <p>Nothing to compare while the mirror is off.</p>
      ) : total === 0 ? (
        <p data-testid="reconciliation-total">Nothing differs between linked customers and their Zoho contacts.</p>
      ) : (
        <>
          <p data-testid="reconciliation-total">
            <Link to="/admin/reconciliation">{`${total} ${total === 1 ? "difference" : "differences"} to look at`}</Link>
          </p>
          <ul>
            {RECONCILIATION_KINDS.filter((k) => counts[k] > 0).map((k) => (
              <li key={k}>
                <Link to={`/admin/reconciliation?kind=${k}`}>{`${RECONCILIATION_LABEL[k]}: ${counts[k]}`}</Link>
              </li>
            ))}
          </ul>
        </>
      )}
      {reconciliation ? (
        <p className="hint" data-testid="reconciliation-counted">
          Counted {formatDateTime(reconciliation.countedAt)} (once an hour); the list itself is always current.
        </p>
      ) : null}
    </section>
  );
}
