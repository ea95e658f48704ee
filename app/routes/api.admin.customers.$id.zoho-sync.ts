// POST: retry the customer's Zoho sync now (priority, attempts reset). DELETE: reset to pending.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { syncSnapshot } from "~/admin/customer-detail.server";
import { recordAdminAction } from "~/audit/audit.server";
import { requireAdmin } from "~/auth/guards.server";
import { clientAddress } from "~/auth/rate-limit.server";
import { resetSync, retrySync, SyncActionError, syncState } from "~/sync/admin-actions.server";

const Params = z.object({ id: z.uuid({ message: "Customer id must be a UUID." }) });

const badId = () => Response.json({ error: "Customer id must be a UUID." }, { status: 400 });

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireAdmin(request, context.app);
  const parsed = Params.safeParse(params);
  if (!parsed.success) return badId();
  return respond(() => syncState(context.app, parsed.data.id));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, context.app);
  const parsed = Params.safeParse(params);
  if (!parsed.success) return badId();
  const id = parsed.data.id;
  const audited = (action: "customer.retry" | "customer.reset", run: () => Promise<unknown>) => async () => {
    const before = await syncSnapshot(context.app.db, id);
    const result = await run();
    const after = await syncSnapshot(context.app.db, id);
    await recordAdminAction(context.app.db, { adminId: admin.id, action, clientAddress: clientAddress(request), customerIds: [id], before, after });
    return result;
  };
  if (request.method === "POST") return respond(audited("customer.retry", () => retrySync(context.app, id, admin.id)), 202);
  if (request.method === "DELETE") return respond(audited("customer.reset", () => resetSync(context.app, id, admin.id)));
  return Response.json({ error: "Use POST to retry or DELETE to reset." }, { status: 405, headers: { Allow: "GET, POST, DELETE" } });
}

async function respond(run: () => Promise<unknown>, status = 200) {
  try {
    return Response.json(await run(), { status });
  } catch (error) {
    if (error instanceof SyncActionError) return Response.json({ error: error.message }, { status: error.status });
    throw error;
  }
}
