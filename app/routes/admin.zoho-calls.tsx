// The Zoho call log: every call to Zoho (what for, the method and cleaned path, the answer, how long it took,
// the customer it was for), filtered in a GET form, newest first in keyset pages, and as a CSV download.
import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { requireAdmin } from "~/auth/guards.server";
import { logUrl } from "~/common/log-query";
import { Field } from "~/components/forms";
import { Pager } from "~/components/tables";
import { CALL_PURPOSE_TEXT, ZohoCallTable } from "~/components/zoho-call-table";
import { CALL_LOG_PURPOSES, parseZohoCallQuery, ZohoCallQuerySchema, zohoCallQueryParams, type ZohoCallQuery } from "~/zoho/call-log";
import { zohoCallPage } from "~/zoho/call-log.server";

export const meta: MetaFunction = () => [{ title: "Zoho calls · Admin · Cangoods" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(request, context.app);
  const url = new URL(request.url);
  const submission = parseWithZod(url.searchParams, { schema: ZohoCallQuerySchema });
  const query = parseZohoCallQuery(url);
  return {
    query,
    page: await zohoCallPage(context.app.db, query),
    filterErrors: submission.status === "error" ? submission.reply() : null,
    retentionDays: context.app.env.ZOHO_CALL_LOG_RETENTION_DAYS,
  };
}

export default function ZohoCalls() {
  const { query, page, filterErrors, retentionDays } = useLoaderData<typeof loader>();
  const loading = useNavigation().state === "loading";
  const params = zohoCallQueryParams(query);
  const filtered = Object.values(params).some(Boolean);
  return (
    <section aria-labelledby="zoho-calls-title">
      <h1 id="zoho-calls-title">Zoho calls</h1>
      <p className="muted">{`Every call this portal made to Zoho Books and Zoho Accounts, with Zoho's answer. Tokens, secrets and email addresses are removed before a call is written. Kept ${retentionDays} days.`}</p>
      <CallFilters key={logUrl("/admin/zoho-calls", params)} query={query} lastResult={filterErrors} />
      <p>
        <Link to={logUrl("/admin/zoho-calls.csv", params)} reloadDocument>
          Download these calls as CSV
        </Link>
      </p>
      {page.rows.length === 0 ? (
        <div className="card" role="status">
          {filtered ? (
            <p>
              No calls match these filters. <Link to="/admin/zoho-calls">Show every call</Link>.
            </p>
          ) : (
            <p>No Zoho calls yet. Each sync, order-history page, admin search and token refresh appears here.</p>
          )}
        </div>
      ) : (
        <div aria-busy={loading}>
          <ZohoCallTable rows={page.rows} caption="Zoho calls, newest first" />
        </div>
      )}
      <Pager
        previous={page.previous ? { to: logUrl("/admin/zoho-calls", params, { before: page.previous }), label: "← Newer" } : null}
        next={page.next ? { to: logUrl("/admin/zoho-calls", params, { after: page.next }), label: "Older →" } : null}
      />
    </section>
  );
}

function CallFilters({ query, lastResult }: { query: ZohoCallQuery; lastResult: SubmissionResult<string[]> | null }) {
  const [form, fields] = useForm({
    id: "zoho-call-filters",
    lastResult,
    defaultValue: { purpose: query.purpose ?? "", outcome: query.outcome ?? "", customer: query.customer ?? "", from: query.from ?? "", to: query.to ?? "" },
    constraint: getZodConstraint(ZohoCallQuerySchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ZohoCallQuerySchema }),
  });
  const filtered = Object.values(zohoCallQueryParams(query)).some(Boolean);
  return (
    <Form method="get" {...getFormProps(form)} className="card filters" role="search" aria-label="Filter the Zoho calls">
      <div className="grid">
        <Field label="For" field={fields.purpose}>
          <select {...getSelectProps(fields.purpose)}>
            <option value="">Everything</option>
            {CALL_LOG_PURPOSES.map((p) => (
              <option key={p} value={p}>
                {CALL_PURPOSE_TEXT[p]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Answer" field={fields.outcome}>
          <select {...getSelectProps(fields.outcome)}>
            <option value="">Any answer</option>
            <option value="ok">Success</option>
            <option value="error">Errors and no answer</option>
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
        {filtered ? <Link to="/admin/zoho-calls">Clear filters</Link> : null}
      </div>
    </Form>
  );
}
