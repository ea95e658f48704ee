import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { formatDateTime } from "~/components/format";
import { FormError, IntentButton, PostForm } from "~/components/forms";
import { StatusBadge } from "~/components/status-badge";
import { REVIEW_REASON_LABEL, type LinkBasis } from "~/sync/vocabulary";
import { ComparisonTable } from "./identity-warning";
import type { DetailAction, DetailLoader } from "./page-types";

const BASIS_TEXT: Record<LinkBasis, string> = {
  verified_email: "automatically, by the customer's verified email",
  created: "automatically: we created this contact for the customer",
  admin: "by an admin",
};

/** The sync state, the linked contact beside the account, and the retry/unlink actions. */
export function SyncSection() {
  const { customer, job, zohoUrl, connected, linkedComparison } = useLoaderData<DetailLoader>();
  const lastResult = useActionData<DetailAction>();
  const status = customer.zohoSyncStatus;
  const linked = !!customer.zohoContactId;
  const needsAdmin = status === "skipped" || status === "failed";
  return (
    <section className="card" aria-labelledby="zoho-title">
      <h2 id="zoho-title">Zoho Books</h2>
      <FormError errors={lastResult?.error?.[""] ?? null} />
      <dl className="facts">
        <dt>Sync status</dt>
        <dd data-testid="sync-status">
          <StatusBadge status={status} />
        </dd>
        {needsAdmin && customer.zohoReviewReason ? (
          <>
            <dt>Needs an admin because</dt>
            <dd data-testid="review-reason">{REVIEW_REASON_LABEL[customer.zohoReviewReason]}</dd>
          </>
        ) : null}
        <dt>Customer type</dt>
        <dd>{customer.isReturningCustomer ? "Returning customer" : "New customer"}</dd>
        {linked ? (
          <>
            <dt>Zoho contact</dt>
            <dd>
              {customer.zohoContactName} <span className="muted">(id {customer.zohoContactId})</span>
              {zohoUrl ? (
                <>
                  {" · "}
                  <a href={zohoUrl} target="_blank" rel="noreferrer">
                    Open in Zoho Books
                  </a>
                </>
              ) : null}
            </dd>
            <dt>Linked</dt>
            <dd data-testid="link-basis">
              {formatDateTime(customer.zohoLinkedAt)} (
              {customer.zohoLinkBasis ? BASIS_TEXT[customer.zohoLinkBasis] : "not proven yet: the customer cannot see orders until the email is verified"})
            </dd>
          </>
        ) : null}
        {customer.zohoSyncError ? (
          <>
            <dt>{status === "pending" ? "Note" : "Error"}</dt>
            <dd data-testid="sync-error">{customer.zohoSyncError}</dd>
          </>
        ) : null}
        <dt>Attempts</dt>
        <dd>{customer.zohoSyncAttempts} of 3</dd>
        {job ? (
          <>
            <dt>Next attempt</dt>
            <dd>{job.lockedUntil && new Date(job.lockedUntil) > new Date() ? "Running now" : formatDateTime(job.scheduledFor)}</dd>
          </>
        ) : null}
      </dl>
      {linked && linkedComparison ? (
        <ComparisonTable
          account={{ name: `${customer.firstName} ${customer.lastName}`, email: customer.email }}
          contact={{ name: customer.zohoContactName ?? "", email: customer.zohoContactEmail }}
          comparison={linkedComparison}
          caption="The account beside its linked Zoho contact"
          contactHeading="Linked Zoho contact"
        />
      ) : null}
      {!connected ? (
        <p className="alert-banner" role="alert">
          Zoho Books is not connected or needs reconnecting: sync and search are paused. <Link to="/admin/zoho">Open the Zoho connection</Link>.
        </p>
      ) : null}
      <div className="actions">
        {needsAdmin || (status === "pending" && customer.zohoSyncError) ? (
          <PostForm>
            <IntentButton intent="retry">
              Retry sync
            </IntentButton>
          </PostForm>
        ) : null}
        {linked ? (
          <PostForm>
            <IntentButton intent="unlink" secondary>
              Unlink
            </IntentButton>
          </PostForm>
        ) : null}
      </div>
      {linked ? <p className="muted">Unlinking marks the customer Failed until you link another contact or retry the automatic sync.</p> : null}
    </section>
  );
}
