// The Zoho call log's CSV download: the filters of /admin/zoho-calls, newest first (at most LOG_CSV_MAX_ROWS rows).
import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { requireAdmin } from "~/auth/guards.server";
import { parseZohoCallQuery } from "~/zoho/call-log";
import { zohoCallCsv } from "~/zoho/call-log.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(request, context.app);
  const csv = await zohoCallCsv(context.app.db, parseZohoCallQuery(new URL(request.url)));
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="zoho-calls-${new Date().toISOString().slice(0, 10)}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
