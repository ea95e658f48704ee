// Dashboard pieces for recovering sync: the outage banner and "Retry all failed".
import { Link } from "@remix-run/react";
import { FormError, IntentButton, PostForm } from "./forms";
import { formatDateTime } from "./format";

type Outage = { paused: boolean; since: string | null; lastError: string | null; nextProbeAt: string | null };
type Eta = { jobs: number; finishesAt: string | null };

const etaText = (eta: Eta) =>
  eta.jobs === 0 ? "nothing is waiting" : eta.finishesAt ? `done by about ${formatDateTime(eta.finishesAt)}` : "not within the current budget (sync budget is 0)";

export function OutageBanner({ outage }: { outage: Outage }) {
  if (!outage.paused) return null;
  return (
    <div className="alert-banner" role="alert" data-testid="outage">
      <strong>{`Zoho unavailable since ${formatDateTime(outage.since)}.`}</strong> Sync is paused and resumes by itself when Zoho answers
      {outage.nextProbeAt ? ` (next check ${formatDateTime(outage.nextProbeAt)})` : ""}; no customer is failed or uses up attempts because of it.
      {outage.lastError ? ` Zoho said: ${outage.lastError}` : ""}
    </div>
  );
}

export type RetryAllView = { jobs: number; today: number; perDay: number; unlinkedLeftOut: number; finishesAt: string | null };

const customersText = (n: number) => `${n} customer${n === 1 ? "" : "s"}`;

/** What "Retry all failed" will do, in words: the admin reads this before confirming. */
export function retryAllPlanText(r: RetryAllView) {
  const later = r.jobs - r.today;
  const spread =
    later === 0
      ? `all ${r.jobs === 1 ? "of it" : r.jobs} now, within today's sync budget`
      : `${r.today} now (what today's sync budget allows) and the other ${later} from the next days, up to ${r.perDay} a day`;
  const left = r.unlinkedLeftOut ? ` ${customersText(r.unlinkedLeftOut)} an admin unlinked ${r.unlinkedLeftOut === 1 ? "is" : "are"} left out and keep${r.unlinkedLeftOut === 1 ? "s" : ""} the reason.` : "";
  return `Each failed customer gets a fresh start (attempts reset; the job looks Zoho up before any create): ${spread}; ${etaText(r)}.${left}`;
}

/**
 * "Retry all failed" with what it would take, then a confirmation step (a page state in the URL, so it works
 * without JavaScript) that says exactly what will happen, like "Confirm all suggested links".
 * (The backlog's ETA has one home: the budget box.)
 */
export function RecoveryCard({ retryAll, confirming, errors }: { retryAll: RetryAllView; confirming: boolean; errors?: string[] | null }) {
  return (
    <section className="card" aria-labelledby="recovery-title" data-testid="recovery">
      <h2 id="recovery-title">Recovery</h2>
      <FormError errors={errors} />
      {retryAll.jobs === 0 ? (
        <p className="muted">{`No failed customer to retry.${retryAll.unlinkedLeftOut ? ` (${customersText(retryAll.unlinkedLeftOut)} an admin unlinked: retry each from its page.)` : ""}`}</p>
      ) : confirming ? (
        <PostForm action="/admin" values={{ expected: retryAll.jobs }}>
          <p role="alert" id="retry-all-plan">{`Retry ${customersText(retryAll.jobs)}? ${retryAllPlanText(retryAll)}`}</p>
          <div className="actions">
            <IntentButton intent="retry_all_failed" aria-describedby="retry-all-plan">
              {`Yes, retry ${customersText(retryAll.jobs)}`}
            </IntentButton>
            <Link to="/admin">Cancel</Link>
          </div>
        </PostForm>
      ) : (
        <p>
          <span className="muted" id="retry-all-help">{`${customersText(retryAll.jobs)} failed. ${retryAllPlanText(retryAll)} `}</span>
          <Link to="/admin?confirm=retry_all#recovery-title" className="button" aria-describedby="retry-all-help">
            {`Retry all failed (${retryAll.jobs})`}
          </Link>
        </p>
      )}
    </section>
  );
}
