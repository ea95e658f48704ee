// Zoho Accounts redirects here after the consent screen (GET with code, state, accounts-server). Owners only,
// like connecting: the connection is the shop's (README "Admins: roles and invitations").
import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { redirect } from "@remix-run/cloudflare";
import { recordAdminAction } from "~/audit/audit.server";
import { requireOwner } from "~/auth/guards.server";
import { clientAddress } from "~/auth/rate-limit.server";
import { commitSession, getSession } from "~/auth/session.server";
import { toastSetCookie } from "~/auth/toast.server";
import { runSweep } from "~/sync/sweep.server";
import { finishConnect } from "~/zoho/connection.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await requireOwner(request, context.app);
  const session = await getSession(request, context.app);
  const expected = session.get("zohoOAuthState");
  session.unset("zohoOAuthState");
  const result = await finishConnect(request, context.app, expected, admin.id);
  // Zoho's redirect is a GET that changes state (OAuth leaves no choice): its outcome is audited like a POST.
  await recordAdminAction(context.app.db, {
    adminId: admin.id,
    action: result.ok ? "zoho.connected" : "zoho.connect_failed",
    clientAddress: clientAddress(request),
    after: result.ok ? null : { error: result.message },
  });
  // Jobs that were waiting for the connection go back on the queue now, not at the next hour.
  if (result.ok) await runSweep(context.app, "reconnect");
  const toast = result.ok
    ? ({ kind: "success", message: "Zoho Books connected. Waiting customers are being synced." } as const)
    : ({ kind: "error", message: result.message } as const);
  const headers = new Headers();
  headers.append("Set-Cookie", await commitSession(session, context.app));
  headers.append("Set-Cookie", await toastSetCookie(context.app, toast));
  return redirect("/admin/zoho", { headers });
}
