// POST: retry the customer's Zoho sync now (priority, attempts reset). DELETE: reset to pending.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { requireAdmin } from "~/auth/guards.server";
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
  if (request.method === "POST") return respond(() => retrySync(context.app, id, admin.id), 202);
  if (request.method === "DELETE") return respond(() => resetSync(context.app, id, admin.id));
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
