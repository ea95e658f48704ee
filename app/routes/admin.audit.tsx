// The admin audit log: every admin action, filtered by admin, action, customer and dates (a GET form: the URL is
// the view), newest first in keyset pages, and the same filters as a CSV download (the frame: LogPage).
import { getSelectProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { ADMIN_ACTION_LABEL, ADMIN_ACTIONS } from "~/audit/actions";
import { auditAdmins, auditPage } from "~/audit/audit.server";
import { AuditQuerySchema, auditQueryParams, parseAuditQuery } from "~/audit/query";
import { requireAdmin } from "~/auth/guards.server";
import { AuditTable } from "~/components/audit-table";
import { Field } from "~/components/forms";
import { LogPage } from "~/components/log-page";

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
  return (
    <LogPage
      path="/admin/audit"
      title="Audit log"
      intro={`Every admin action: who, when, from which address, on which customers, and what changed. Kept ${retentionDays} days; nobody can edit it.`}
      params={auditQueryParams(query)}
      page={{ rowCount: page.rows.length, previous: page.previous, next: page.next }}
      csv={{ path: "/admin/audit.csv", label: "Download these entries as CSV" }}
      empty={{
        filtered: "No entries match these filters.",
        showAll: "Show every entry",
        none: "No admin actions yet. Sign-ins, links, retries and every other admin action appear here.",
      }}
      filters={{
        id: "audit",
        label: "Filter the audit log",
        schema: AuditQuerySchema,
        lastResult: filterErrors,
        fields: (fields) => (
          <>
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
          </>
        ),
      }}
    >
      <AuditTable rows={page.rows} caption="Audit log, newest first" />
    </LogPage>
  );
}
