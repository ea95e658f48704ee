import { Link, useLoaderData } from "@remix-run/react";
import { formatDateTime } from "~/components/format";
import { IntentButton, PostForm } from "~/components/forms";
import { ComparisonTable } from "./identity-warning";
import type { DetailLoader } from "./page-types";

/**
 * The contacts a customer in review could be: each beside the account, with a warning where they
 * differ and, when another account already holds it, which one and since when.
 */
export function CandidatesSection() {
  const { customer, candidates } = useLoaderData<DetailLoader>();
  const single = candidates.length === 1;
  return (
    <section className="card" aria-labelledby="candidates-title">
      <h2 id="candidates-title">{single ? "Suggested contact" : "Possible matches"}</h2>
      {candidates.length === 0 ? (
        <p>No candidate was found. Search Zoho below, or retry the sync.</p>
      ) : (
        <p>
          {single
            ? "The sync found this contact but may not link it by itself. Compare it with the account, then confirm the link if it is the same person."
            : "More than one Zoho contact matches this customer. Compare them with the account and pick the right one."}
        </p>
      )}
      <ul className="candidates" aria-label="Candidate Zoho contacts">
        {candidates.map((c) => (
          <li key={c.contactId} className="card candidate" data-testid="candidate">
            <h3>
              {c.contactName} <span className="muted">(Zoho id {c.contactId})</span>
            </h3>
            <ComparisonTable
              account={{ name: `${customer.firstName} ${customer.lastName}`, email: customer.email }}
              contact={{ name: c.contactName, email: c.email, company: c.companyName }}
              comparison={c.comparison}
              caption={`The account beside ${c.contactName}`}
              contactHeading="Zoho contact"
            />
            {c.linkedTo ? (
              <p className="alert-banner" data-testid="existing-link">
                Already linked to <Link to={`/admin/customers/${c.linkedTo.customerId}`}>{c.linkedTo.name}</Link> ({c.linkedTo.email})
                {c.linkedTo.linkedAt ? ` since ${formatDateTime(c.linkedTo.linkedAt)}` : ""}. A Zoho contact belongs to one account: unlink it there first if
                it belongs here.
              </p>
            ) : null}
            {c.accountDeletedAt ? (
              <p className="muted" data-testid="account-deleted">
                {`Account deleted by the customer on ${formatDateTime(c.accountDeletedAt)}: this contact was linked to a portal account whose customer deleted it. The contact stays in Zoho.`}
              </p>
            ) : null}
            <PostForm>
              <input type="hidden" name="contactId" value={c.contactId} />
              {single ? (
                <IntentButton intent="confirm" aria-label={`Confirm link to ${c.contactName} (${c.contactId})`}>
                  Confirm link
                </IntentButton>
              ) : (
                <IntentButton intent="link" aria-label={`Link ${c.contactName} (${c.contactId})`}>
                  Link this contact
                </IntentButton>
              )}
            </PostForm>
          </li>
        ))}
      </ul>
    </section>
  );
}
