import { redirect } from "@remix-run/cloudflare";
import type { AppServices } from "~/context.server";
import { hasSecondFactor } from "./factors/store.server";
import { getCurrentUser, getSession, signedInUser, type CurrentUser } from "./session.server";

// The only place that decides authorisation: who is signed in (requireUser), an admin of either role
// (requireAdmin), an owner (requireOwner), a customer (requireCustomer). Pages redirect to sign-in; /api/* answers 401 JSON.
function isApi(request: Request) {
  return new URL(request.url).pathname.startsWith("/api/");
}

/** Why a sign-in page is shown instead (`/login?ended=idle`: the admin session ended for want of activity). */
export const SESSION_ENDED = { idle: "idle" } as const;

function refuseAnonymous(request: Request, ended: keyof typeof SESSION_ENDED | null = null): never {
  if (isApi(request))
    throw Response.json({ error: ended === "idle" ? "Your admin session ended after a time without activity. Sign in again." : "Sign in required." }, { status: 401 });
  const url = new URL(request.url);
  const redirectTo = url.pathname + url.search;
  throw redirect(`/login?redirectTo=${encodeURIComponent(redirectTo)}${ended ? `&ended=${SESSION_ENDED[ended]}` : ""}`);
}

function refuseForbidden(request: Request, who = "Admins"): never {
  if (isApi(request)) throw Response.json({ error: `${who} only.` }, { status: 403 });
  throw new Response(
    who === "Owners" ? "Only an owner of this shop can do this. Ask an owner if you need it done." : "You do not have access to this page.",
    { status: 403, statusText: "Forbidden" },
  );
}

export async function requireUser(request: Request, app: AppServices): Promise<CurrentUser> {
  const user = await getCurrentUser(request, app);
  if (!user) refuseAnonymous(request);
  return user;
}

/** Where an admin without a second factor is sent (and the only admin page they may open). */
export const FACTOR_SETUP_PATH = "/admin/security";

/**
 * An admin whose session checked the second factor. An admin without any factor is sent to set one up
 * (`setup: true` only for that page); a session from before the admin had one must sign in again.
 */
export async function requireAdmin(request: Request, app: AppServices, opts: { setup?: boolean } = {}): Promise<CurrentUser> {
  const session = await getSession(request, app);
  const { user, ended } = await signedInUser(session, app);
  if (!user) refuseAnonymous(request, ended);
  if (user.role !== "admin") refuseForbidden(request);
  if (session.get("factorCheckedAt")) return user;
  if (await hasSecondFactor(app.db, user.id)) refuseAnonymous(request);
  if (opts.setup) return user;
  if (isApi(request)) throw Response.json({ error: "Set up a second factor first (/admin/security)." }, { status: 403 });
  throw redirect(FACTOR_SETUP_PATH);
}

/**
 * An owner: admins and invitations, the Zoho connection, backfill (README "Admins: roles and invitations").
 * Staff (the other admin role) get 403; customers too; anonymous visitors go to sign-in.
 */
export async function requireOwner(request: Request, app: AppServices): Promise<CurrentUser> {
  const user = await requireAdmin(request, app);
  if (user.adminRole !== "owner") refuseForbidden(request, "Owners");
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
