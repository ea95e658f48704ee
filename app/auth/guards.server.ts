import { redirect } from "@remix-run/cloudflare";
import type { AppServices } from "~/context.server";
import { getCurrentUser, type CurrentUser } from "./session.server";

// The only place that decides authorisation. Pages redirect to sign-in; /api/* answers 401 JSON.
function isApi(request: Request) {
  return new URL(request.url).pathname.startsWith("/api/");
}

function refuseAnonymous(request: Request): never {
  if (isApi(request)) throw Response.json({ error: "Sign in required." }, { status: 401 });
  const url = new URL(request.url);
  const redirectTo = url.pathname + url.search;
  throw redirect(`/login?redirectTo=${encodeURIComponent(redirectTo)}`);
}

function refuseForbidden(request: Request): never {
  if (isApi(request)) throw Response.json({ error: "Admins only." }, { status: 403 });
  throw new Response("You do not have access to this page.", { status: 403, statusText: "Forbidden" });
}

export async function requireUser(request: Request, app: AppServices): Promise<CurrentUser> {
  const user = await getCurrentUser(request, app);
  if (!user) refuseAnonymous(request);
  return user;
}

export async function requireAdmin(request: Request, app: AppServices): Promise<CurrentUser> {
  const user = await requireUser(request, app);
  if (user.role !== "admin") refuseForbidden(request);
  return user;
}

export async function requireCustomer(request: Request, app: AppServices): Promise<CurrentUser> {
  const user = await requireUser(request, app);
  if (user.role !== "customer") {
    if (isApi(request)) throw Response.json({ error: "Customers only." }, { status: 403 });
    throw redirect("/admin");
  }
  return user;
}
