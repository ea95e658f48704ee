// Dashboard pieces for recovering sync: the outage banner and "Retry all failed".
import { IntentButton, PostForm } from "./forms";
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

/** "Retry all failed" with what it would take. (The backlog's ETA has one home: the budget box.) */
export function RecoveryCard({ retryAll }: { retryAll: Eta }) {
  return (
    <section className="card" aria-labelledby="recovery-title">
      <h2 id="recovery-title">Recovery</h2>
      <PostForm>
        <p className="muted" id="retry-all-help">
          {retryAll.jobs
            ? `Gives every failed customer a fresh start, spread over days within the sync budget: ${etaText(retryAll)}.`
            : "No customer has failed."}
        </p>
        <IntentButton intent="retry_all_failed" disabled={retryAll.jobs === 0} aria-describedby="retry-all-help">
          {`Retry all failed (${retryAll.jobs})`}
        </IntentButton>
      </PostForm>
    </section>
  );
}
