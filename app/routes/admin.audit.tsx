// The admin audit log: every admin action, filtered by admin, action, customer and dates (a GET form: the URL is
// the view), newest first in keyset pages, and the same filters as a CSV download.
import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { ADMIN_ACTION_LABEL, ADMIN_ACTIONS } from "~/audit/actions";
import { auditAdmins, auditPage } from "~/audit/audit.server";
import { AuditQuerySchema, auditQueryParams, parseAuditQuery, type AuditQuery } from "~/audit/query";
import { requireAdmin } from "~/auth/guards.server";
import { AuditTable } from "~/components/audit-table";
import { Field } from "~/components/forms";
import { Pager } from "~/components/tables";
import { logUrl } from "~/common/log-query";

export const meta: MetaFunction = () => [{ title: "Audit log · Admin · Cangoods" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(request, context.app);
  const url = new URL(request.url);
  const submission = parseWithZod(url.searchParams, { schema: AuditQuerySchema });
  const query = parseAuditQuery(url);
  const [page, admins] = await Promise.all([auditPage(context.app.db, query), auditAdmins(context.app.db)]);
  return { query, page, admins, filterErrors: submission.status === "error" ? submission.reply() : null, retentionDays: context.app.env.AUDIT_RETENTION_DAYS };
}

export default function AuditLog() {
  const { query, page, admins, filterErrors, retentionDays } = useLoaderData<typeof loader>();
  const loading = useNavigation().state === "loading";
  const params = auditQueryParams(query);
  const filtered = Object.values(params).some(Boolean);
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <p className="muted">{`Every admin action: who, when, from which address, on which customers, and what changed. Kept ${retentionDays} days; nobody can edit it.`}</p>
      <AuditFilters key={logUrl("/admin/audit", params)} query={query} admins={admins} lastResult={filterErrors} />
      <p>
        <Link to={logUrl("/admin/audit.csv", params)} reloadDocument>
          Download these entries as CSV
        </Link>
      </p>
      {page.rows.length === 0 ? (
        <div className="card" role="status">
          {filtered ? (
            <p>
              No entries match these filters. <Link to="/admin/audit">Show every entry</Link>.
            </p>
          ) : (
            <p>No admin actions yet. Sign-ins, links, retries and every other admin action appear here.</p>
          )}
        </div>
      ) : (
        <div aria-busy={loading}>
          <AuditTable rows={page.rows} caption="Audit log, newest first" />
        </div>
      )}
      <Pager
        previous={page.previous ? { to: logUrl("/admin/audit", params, { before: page.previous }), label: "← Newer" } : null}
        next={page.next ? { to: logUrl("/admin/audit", params, { after: page.next }), label: "Older →" } : null}
      />
    </section>
  );
}

type FilterResult = SubmissionResult<string[]> | null;

function AuditFilters({ query, admins, lastResult }: { query: AuditQuery; admins: Array<{ id: string; email: string }>; lastResult: FilterResult }) {
  const [form, fields] = useForm({
    id: "audit-filters",
    lastResult,
    defaultValue: { admin: query.admin ?? "", action: query.action ?? "", customer: query.customer ?? "", from: query.from ?? "", to: query.to ?? "" },
    constraint: getZodConstraint(AuditQuerySchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: AuditQuerySchema }),
  });
  const filtered = Object.values(auditQueryParams(query)).some(Boolean);
  return (
    <Form method="get" {...getFormProps(form)} className="card filters" role="search" aria-label="Filter the audit log">
      <div className="grid">
        <Field label="Admin" field={fields.admin}>
          <select {...getSelectProps(fields.admin)}>
            <option value="">Every admin</option>
            {admins.map((a) => (
              <option key={a.id} value={a.id}>
                {a.email}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Action" field={fields.action}>
          <select {...getSelectProps(fields.action)}>
            <option value="">Every action</option>
            {ADMIN_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {ADMIN_ACTION_LABEL[a]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Customer id" hint="From the customer's page address (/admin/customers/…)." field={fields.customer}>
          <input {...getInputProps(fields.customer, { type: "text", ariaDescribedBy: fields.customer.descriptionId })} spellCheck={false} />
        </Field>
        <Field label="From (date, PHT)" field={fields.from}>
          <input {...getInputProps(fields.from, { type: "date" })} />
        </Field>
        <Field label="To (date, PHT)" field={fields.to}>
          <input {...getInputProps(fields.to, { type: "date" })} />
        </Field>
      </div>
      <div className="actions">
        <button type="submit">Apply</button>
        {filtered ? <Link to="/admin/audit">Clear filters</Link> : null}
      </div>
    </Form>
  );
}
