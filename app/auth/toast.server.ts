import { redirect } from "@remix-run/cloudflare";
import type { AppServices } from "~/context.server";
import { commitSession, getSession, type SessionFlash } from "./session.server";

/** Redirects and shows a toast on the next page (flash in the session). */
export async function redirectWithToast(request: Request, app: AppServices, to: string, toast: SessionFlash["toast"]) {
  const session = await getSession(request, app);
  session.flash("toast", toast);
  return redirect(to, { headers: { "Set-Cookie": await commitSession(session, app) } });
}
