// Reconciliation (issue 20 item 6): what differs between the portal and Zoho, from the mirror of Zoho's directory
// (no Zoho call), filtered by kind (a GET form: the URL is the view), in pages, and the same list as a CSV download.
import { getFormProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { mirrorBasis, reconciliationCounts, reconciliationPage } from "~/zoho/mirror/reconciliation.server";
import {
  parseReconciliationQuery,
  RECONCILIATION_KINDS,
  RECONCILIATION_LABEL,
  ReconciliationQuerySchema,
  reconciliationUrl,
  type ReconciliationKind,
} from "~/common/reconciliation";
import { requireAdmin } from "~/auth/guards.server";
import { formatDateTime } from "~/components/format";
import { Field } from "~/components/forms";
import { DataTable, Pager } from "~/components/tables";

export const meta: MetaFunction = () => [{ title: "Reconciliation · Admin · Cangoods" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(request, context.app);
  const url = new URL(request.url);
  const submission = parseWithZod(url.searchParams, { schema: ReconciliationQuerySchema });
  const query = parseReconciliationQuery(url);
  const db = context.app.db;
  const basis = await mirrorBasis(db, context.app.env);
  const [counts, page] = await Promise.all([reconciliationCounts(db, basis), reconciliationPage(db, basis, query)]);
  return { query, basis, counts, page, filterErrors: submission.status === "error" ? submission.reply() : null };
}

export default function Reconciliation() {
  const { query, basis, counts, page, filterErrors } = useLoaderData<typeof loader>();
  const loading = useNavigation().state === "loading";
  const total = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : 0;
  return (
    <section aria-labelledby="reconciliation-title">
      <h1 id="reconciliation-title">Reconciliation</h1>
      <p className="muted">
        Linked customers whose Zoho contact differs from what the portal holds, as the mirror of Zoho&apos;s directory shows it (refreshed from
        Zoho at least hourly; no Zoho call is made here). Fix each in Zoho Books or on the customer&apos;s page; it leaves this list when the
        mirror no longer shows the difference.
      </p>
      {!basis.on ? (
        <div className="card" role="status">
          <p>The mirror of Zoho&apos;s directory is off (MIRROR_FULL_READ_DAILY_CALLS is 0), so nothing can be compared here.</p>
        </div>
      ) : (
        <>
          {!basis.complete ? (
            <p className="alert-banner" role="status">
              The mirror&apos;s first full read is not complete: only the contacts read so far are compared, and &ldquo;not in Zoho&apos;s
              directory&rdquo; waits for the read to finish.
            </p>
          ) : null}
          <KindFilter key={query.kind ?? "all"} kind={query.kind} counts={counts!} lastResult={filterErrors} />
          <p>
            <Link to={reconciliationUrl("/admin/reconciliation.csv", { kind: query.kind })} reloadDocument>
              Download this list as CSV
            </Link>
            {" · "}
            <Link to="/admin/customers?reason=possible_duplicate">Customers the sync flagged as possible duplicates</Link>
          </p>
          {page.rows.length === 0 ? (
            <div className="card" role="status" data-testid="reconciliation-empty">
              {query.kind && total > 0 ? (
                <p>
                  Nothing of this kind. <Link to="/admin/reconciliation">Show every difference</Link>.
                </p>
              ) : query.page > 1 ? (
                <p>
                  No more differences. <Link to={reconciliationUrl("/admin/reconciliation", { kind: query.kind })}>Back to the first page</Link>.
                </p>
              ) : (
                <p>Nothing differs: every linked customer&apos;s Zoho contact is active, has the customer&apos;s email and no active twin.</p>
              )}
            </div>
          ) : (
            <div aria-busy={loading}>
              <DataTable
                testId="reconciliation"
                caption={query.kind ? RECONCILIATION_LABEL[query.kind] : "Every difference, by kind"}
                columns={[{ header: "What differs" }, { header: "Customer" }, { header: "Zoho contact" }, { header: "In Zoho", hideSmall: true }]}
              >
                {page.rows.map((r) => (
                  <tr key={`${r.kind}-${r.customerId}`}>
                    <td>{RECONCILIATION_LABEL[r.kind]}</td>
                    <td>
                      <Link to={`/admin/customers/${r.customerId}`}>{r.name}</Link>
                      <br />
                      <span className="muted">{r.email}</span>
                    </td>
                    <td>
                      {r.contactName ?? "(not in the mirror)"}
                      <br />
                      <span className="muted">{r.contactId}</span>
                    </td>
                    <td className="hide-sm">{inZoho(r)}</td>
                  </tr>
                ))}
              </DataTable>
            </div>
          )}
          <Pager
            previous={query.page > 1 ? { to: reconciliationUrl("/admin/reconciliation", { kind: query.kind, page: query.page - 1 }), label: "← Previous" } : null}
            next={page.hasMore ? { to: reconciliationUrl("/admin/reconciliation", { kind: query.kind, page: query.page + 1 }), label: "Next →" } : null}
          />
        </>
      )}
    </section>
  );
}

function inZoho(r: { zohoEmail: string | null; zohoStatus: string | null; deletedAt: string | null }) {
  if (r.deletedAt) return `Deleted (seen ${formatDateTime(r.deletedAt)})`;
  if (r.zohoStatus === null) return "Not listed";
  return `${r.zohoStatus}; primary email ${r.zohoEmail || "(none)"}`;
}

function KindFilter({ kind, counts, lastResult }: { kind?: ReconciliationKind; counts: Record<ReconciliationKind, number>; lastResult: SubmissionResult<string[]> | null }) {
  const [form, fields] = useForm({
    id: "reconciliation-filter",
    lastResult,
    defaultValue: { kind: kind ?? "" },
    constraint: getZodConstraint(ReconciliationQuerySchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ReconciliationQuerySchema }),
  });
  return (
    <Form method="get" {...getFormProps(form)} className="card filters" role="search" aria-label="Filter the differences">
      <Field label="Kind" field={fields.kind}>
        <select {...getSelectProps(fields.kind)}>
          <option value="">{`Every kind (${Object.values(counts).reduce((a, b) => a + b, 0)})`}</option>
          {RECONCILIATION_KINDS.map((k) => (
            <option key={k} value={k}>
              {`${RECONCILIATION_LABEL[k]} (${counts[k]})`}
            </option>
          ))}
        </select>
      </Field>
      <div className="actions">
        <button type="submit">Apply</button>
        {kind ? <Link to="/admin/reconciliation">Clear filter</Link> : null}
      </div>
    </Form>
  );
}
