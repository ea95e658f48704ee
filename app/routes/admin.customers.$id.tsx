import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { customerDetail } from "~/admin/customer-detail.server";
import { ContactSearchSchema, CustomerActionSchema } from "~/admin/schemas";
import { requireAdmin } from "~/auth/guards.server";
import { redirectWithToast } from "~/auth/toast.server";
import { CsrfInput, Field, FormError } from "~/components/forms";
import { StatusBadge } from "~/components/status-badge";
import type { ZohoCandidate } from "~/db/schema";
import { retrySync, SyncActionError } from "~/sync/admin-actions.server";
import { LinkError, linkContact, searchContacts, unlinkContact } from "~/sync/linking.server";
import { ZohoError } from "~/zoho/errors";
import { formatDateTime } from "~/components/format";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.customer.firstName} ${data.customer.lastName} · Customers · Admin` : "Customer · Admin" },
];

const IdSchema = z.object({ id: z.uuid() });

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireAdmin(request, context.app);
  const parsed = IdSchema.safeParse(params);
  const detail = parsed.success ? await customerDetail(context.app.db, parsed.data.id) : null;
  if (!detail) throw new Response("No customer with this id.", { status: 404 });
  const url = new URL(request.url);
  let search: { q: string; results: ZohoCandidate[]; more: boolean; error: string | null } | null = null;
  if (url.searchParams.has("zq")) {
    const q = ContactSearchSchema.safeParse({ zq: url.searchParams.get("zq") ?? "" });
    if (!q.success) search = { q: url.searchParams.get("zq") ?? "", results: [], more: false, error: q.error.issues[0].message };
    else {
      try {
        search = { q: q.data.zq, ...(await searchContacts(context.app, q.data.zq)), error: null };
      } catch (error) {
        if (!(error instanceof ZohoError)) throw error;
        search = { q: q.data.zq, results: [], more: false, error: `Zoho search failed: ${error.message}` };
      }
    }
  }
  return { ...detail, search };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, context.app);
  const id = IdSchema.parse(params).id;
  const submission = parseWithZod(await request.formData(), { schema: CustomerActionSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const here = `/admin/customers/${id}`;
  try {
    switch (submission.value.intent) {
      case "retry": {
        const state = await retrySync(context.app, id, admin.id);
        return redirectWithToast(request, context.app, here, {
          kind: "success",
          message: state.queued ? "Sync queued: it runs within seconds." : "Sync scheduled: the hourly sweep will run it (the queue did not answer).",
        });
      }
      case "link": {
        const contact = await linkContact(context.app, id, submission.value.contactId, admin.id);
        return redirectWithToast(request, context.app, here, { kind: "success", message: `Linked to ${contact.contact_name} (Zoho id ${contact.contact_id}).` });
      }
      case "unlink":
        await unlinkContact(context.app, id, admin.id);
        return redirectWithToast(request, context.app, here, { kind: "info", message: "Unlinked. The customer is marked failed until you link a contact or retry." });
    }
  } catch (error) {
    if (error instanceof LinkError || error instanceof SyncActionError)
      return data(submission.reply({ formErrors: [error.message] }), { status: error instanceof SyncActionError ? error.status : 422 });
    throw error;
  }
}

const fmt = formatDateTime;

const OUTCOME_TEXT: Record<string, string> = {
  synced: "Linked",
  skipped: "Sent to review",
  failed: "Failed",
  queued: "Queued",
  pending: "Reset to pending",
  manual: "Linked manually",
  retry_scheduled: "Retry scheduled",
  lease_expired: "Recovered after a worker stopped",
  waiting_rate_limited: "Waiting (Zoho rate limit)",
  waiting_daily_limit: "Waiting (daily budget used up)",
  waiting_reconnect_needed: "Waiting (reconnect Zoho)",
  waiting_missing_scope: "Waiting (reconnect Zoho: permission missing)",
  waiting_not_connected: "Waiting (Zoho not connected)",
};

export default function CustomerDetail() {
  const { customer, job, events, zohoUrl, connected, search } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [linkForm, linkFields] = useForm({
    id: "link-by-id",
    lastResult,
    constraint: getZodConstraint(CustomerActionSchema.options[2]),
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CustomerActionSchema }),
  });
  const status = customer.zohoSyncStatus;
  const linked = !!customer.zohoContactId;
  const candidates = (customer.zohoSyncCandidates ?? []) as ZohoCandidate[];
  return (
    <>
      <p>
        <Link to="/admin/customers">← Customers</Link>
      </p>
      <section className="card" aria-labelledby="customer-title">
        <h1 id="customer-title">
          {customer.firstName} {customer.lastName}
        </h1>
        <dl className="facts">
          <dt>Email</dt>
          <dd>{customer.email}</dd>
          <dt>Mobile</dt>
          <dd>{customer.phone}</dd>
          <dt>Delivery</dt>
          <dd>
            {customer.deliveryMethod === "delivery"
              ? [customer.addressLine1, customer.addressLine2, customer.city, customer.province, customer.postalCode].filter(Boolean).join(", ")
              : "Pickup"}
          </dd>
          <dt>Registered</dt>
          <dd>{fmt(customer.createdAt)}</dd>
        </dl>
      </section>

      <section className="card" aria-labelledby="zoho-title">
        <h2 id="zoho-title">Zoho Books</h2>
        <FormError errors={lastResult?.error?.[""] ?? null} />
        <dl className="facts">
          <dt>Sync status</dt>
          <dd data-testid="sync-status">
            <StatusBadge status={status} />
          </dd>
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
              <dd>
                {fmt(customer.zohoLinkedAt)} ({customer.zohoMatchType === "manual" ? "by an admin" : `automatically, by ${customer.zohoMatchType}`})
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
              <dd>{job.lockedUntil && new Date(job.lockedUntil) > new Date() ? "Running now" : fmt(job.scheduledFor)}</dd>
            </>
          ) : null}
        </dl>
        {!connected ? (
          <p className="alert-banner" role="alert">
            Zoho Books is not connected or needs reconnecting: sync and search are paused. <Link to="/admin/zoho">Open the Zoho connection</Link>.
          </p>
        ) : null}
        <div className="actions">
          {status === "failed" || status === "skipped" || (status === "pending" && customer.zohoSyncError) ? (
            <Form method="post">
              <CsrfInput />
              <button type="submit" name="intent" value="retry" disabled={busy}>
                Retry sync
              </button>
            </Form>
          ) : null}
          {linked ? (
            <Form method="post">
              <CsrfInput />
              <button type="submit" name="intent" value="unlink" className="button--secondary" disabled={busy}>
                Unlink
              </button>
            </Form>
          ) : null}
        </div>
        {linked ? (
          <p className="muted">Unlinking marks the customer Failed until you link another contact or retry the automatic sync.</p>
        ) : null}
      </section>

      {status === "skipped" && candidates.length > 0 ? (
        <section className="card" aria-labelledby="candidates-title">
          <h2 id="candidates-title">Possible matches</h2>
          <p>More than one Zoho contact matches this customer. Pick the right one.</p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Company</th>
                  <th scope="col">Zoho id</th>
                  <th scope="col">
                    <span className="sr-only">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {candidates.map((c) => (
                  <tr key={c.contactId}>
                    <td>{c.contactName}</td>
                    <td>{c.email || "—"}</td>
                    <td>{c.companyName || "—"}</td>
                    <td>{c.contactId}</td>
                    <td>
                      <Form method="post">
                        <CsrfInput />
                        <input type="hidden" name="contactId" value={c.contactId} />
                        <button type="submit" name="intent" value="link" disabled={busy} aria-label={`Link ${c.contactName} (${c.contactId})`}>
                          Link this contact
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      <section className="card" aria-labelledby="manual-title">
        <h2 id="manual-title">{linked ? "Change the linked contact" : "Link manually"}</h2>
        <Form method="get" role="search" aria-label="Search Zoho contacts">
          <div className="field">
            <label htmlFor="zq">Search Zoho contacts by name or email</label>
            <input id="zq" name="zq" type="search" defaultValue={search?.q ?? ""} minLength={2} maxLength={100} required aria-describedby="zq-error" />
            <div id="zq-error" aria-live="polite">
              {search?.error ? <p className="error">{search.error}</p> : null}
            </div>
          </div>
          <button type="submit" className="button--secondary">
            Search Zoho
          </button>
        </Form>
        {search && !search.error ? (
          search.results.length === 0 ? (
            <p role="status">No Zoho contact matches “{search.q}”.</p>
          ) : (
            <ul className="results" aria-label="Zoho contacts found">
              {search.results.map((c) => (
                <li key={c.contactId}>
                  <Form method="post" className="result-row">
                    <CsrfInput />
                    <input type="hidden" name="contactId" value={c.contactId} />
                    <span>
                      <strong>{c.contactName}</strong> {c.email ? `· ${c.email}` : ""} {c.companyName ? `· ${c.companyName}` : ""}{" "}
                      <span className="muted">(id {c.contactId})</span>
                    </span>
                    <button type="submit" name="intent" value="link" disabled={busy || c.contactId === customer.zohoContactId} aria-label={`Link ${c.contactName} (${c.contactId})`}>
                      {c.contactId === customer.zohoContactId ? "Linked" : "Link"}
                    </button>
                  </Form>
                </li>
              ))}
              {search.more ? <li className="muted">More contacts match; refine the search.</li> : null}
            </ul>
          )
        ) : null}
        <Form method="post" {...getFormProps(linkForm)}>
          <CsrfInput />
          <Field label="Or enter a Zoho contact id" htmlFor={linkFields.contactId.id} errorId={linkFields.contactId.errorId} errors={linkFields.contactId.errors}>
            <input {...getInputProps(linkFields.contactId, { type: "text" })} inputMode="numeric" autoComplete="off" />
          </Field>
          <button type="submit" name="intent" value="link" disabled={busy}>
            Verify and link
          </button>
        </Form>
      </section>

      <section className="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">Sync timeline</h2>
        {events.length === 0 ? (
          <p>Nothing has happened yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">What</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Zoho calls</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {events.map((e) => (
                  <tr key={e.id}>
                    <td>{fmt(e.at)}</td>
                    <td>
                      {e.action.replace("admin_", "admin ").replace("_", " ")}
                      {e.actor ? <span className="muted"> by {e.actor}</span> : null}
                    </td>
                    <td>
                      {OUTCOME_TEXT[e.outcome] ?? e.outcome}
                      {e.matchType ? <span className="muted"> ({e.matchType})</span> : null}
                    </td>
                    <td>{e.zohoCalls}</td>
                    <td>{e.error ?? (e.durationMs !== null ? `${e.durationMs} ms` : "")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
