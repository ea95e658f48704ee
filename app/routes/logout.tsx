import { redirect, type ActionFunctionArgs } from "@remix-run/cloudflare";
import { recordAdminAction } from "~/audit/audit.server";
import { clientAddress } from "~/auth/rate-limit.server";
import { destroySession, getCurrentUser, getSession } from "~/auth/session.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await getCurrentUser(request, context.app);
  if (user?.role === "admin") await recordAdminAction(context.app.db, { adminId: user.id, action: "sign_out", clientAddress: clientAddress(request) });
  const session = await getSession(request, context.app);
  return redirect("/", { headers: { "Set-Cookie": await destroySession(session, context.app) } });
}
