// /account/data: "Download my data" — the signed-in customer's data as a JSON file (a read: nothing changes).
import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { requireCustomer } from "~/auth/guards.server";
import { exportAccountData } from "~/customers/data-export.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireCustomer(request, context.app);
  const exported = await exportAccountData(context.app.db, user.id);
  if (!exported) throw new Response("Not found", { status: 404 });
  return new Response(JSON.stringify(exported, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="cangoods-my-data-${new Date().toISOString().slice(0, 10)}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
