// GET /api/cron/zoho-sync: one sweep on demand (an external scheduler or an operator), bearer secret.
import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { timingSafeEqual } from "~/auth/password.server";
import { runSweep } from "~/sync/sweep.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const given = request.headers.get("Authorization")?.match(/^Bearer (.+)$/)?.[1] ?? "";
  const encoder = new TextEncoder();
  const expected = encoder.encode(context.app.env.CRON_SECRET);
  const actual = encoder.encode(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected))
    return Response.json({ error: "A valid 'Authorization: Bearer <CRON_SECRET>' header is required." }, { status: 401 });
  const summary = await runSweep(context.app, "http");
  return Response.json(summary, { status: summary.error?.startsWith("Sweep failed") ? 500 : 200 });
}
