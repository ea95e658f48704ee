// Reconciliation's CSV download: the kind filter of /admin/reconciliation, in the page's order (at most
// LOG_CSV_MAX_ROWS rows). From the mirror: no Zoho call.
import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { parseReconciliationQuery } from "~/common/reconciliation";
import { mirrorBasis, reconciliationCsv } from "~/zoho/mirror/reconciliation.server";
import { requireAdmin } from "~/auth/guards.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(request, context.app);
  const db = context.app.db;
  const csv = await reconciliationCsv(db, await mirrorBasis(db, context.app.env), parseReconciliationQuery(new URL(request.url)).kind);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="reconciliation-${new Date().toISOString().slice(0, 10)}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
