// The Zoho call log: every call to Zoho (what for, the method and cleaned path, the answer, how long it took,
// the customer it was for), filtered in a GET form, newest first in keyset pages, and as a CSV download (the
// frame: LogPage).
import { getSelectProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { requireAdmin } from "~/auth/guards.server";
import { Field } from "~/components/forms";
import { LogPage } from "~/components/log-page";
import { CALL_PURPOSE_TEXT, ZohoCallTable } from "~/components/zoho-call-table";
import { CALL_LOG_PURPOSES, parseZohoCallQuery, ZohoCallQuerySchema, zohoCallQueryParams } from "~/zoho/call-log";
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
  return (
    <LogPage
      path="/admin/zoho-calls"
      title="Zoho calls"
      intro={`Every call this portal made to Zoho Books and Zoho Accounts, with Zoho's answer. Tokens, secrets and email addresses are removed before a call is written. Kept ${retentionDays} days.`}
      params={zohoCallQueryParams(query)}
      page={{ rowCount: page.rows.length, previous: page.previous, next: page.next }}
      csv={{ path: "/admin/zoho-calls.csv", label: "Download these calls as CSV" }}
      empty={{
        filtered: "No calls match these filters.",
        showAll: "Show every call",
        none: "No Zoho calls yet. Each sync, order-history page, admin search and token refresh appears here.",
      }}
      filters={{
        id: "zoho-calls",
        label: "Filter the Zoho calls",
        schema: ZohoCallQuerySchema,
        lastResult: filterErrors,
        fields: (fields) => (
          <>
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
          </>
        ),
      }}
    >
      <ZohoCallTable rows={page.rows} caption="Zoho calls, newest first" />
    </LogPage>
  );
}
