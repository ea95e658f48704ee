// The audit log's CSV download: the filters of /admin/audit, newest first (at most LOG_CSV_MAX_ROWS rows).
import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { auditCsv } from "~/audit/audit.server";
import { parseAuditQuery } from "~/audit/query";
import { requireAdmin } from "~/auth/guards.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(request, context.app);
  const csv = await auditCsv(context.app.db, parseAuditQuery(new URL(request.url)));
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-log-${new Date().toISOString().slice(0, 10)}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
