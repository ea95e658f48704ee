import { getZodConstraint } from "@conform-to/zod/v4";
import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { isRouteErrorResponse, NavLink, Outlet, useLoaderData, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { requireAdmin } from "~/auth/guards.server";
import { keepRetryAfter } from "~/auth/rate-limit.server";
import { ReauthSchema } from "~/auth/schemas";
import { ErrorPage } from "~/components/error-page";
import { isReauthStep, ReauthStepPage } from "~/components/reauth-step";
import { useRequestId } from "~/components/request-id";

// Layout for every /admin page: the guard runs here and again in each child loader/action (here it lets an
// admin without a second factor through: /admin/security sets one up, every other child sends them there).
export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await requireAdmin(request, context.app, { setup: true });
  return { adminRole: admin.adminRole };
}

export default function AdminLayout() {
  const { adminRole } = useLoaderData<typeof loader>();
  return (
    <div className="admin">
      <nav aria-label="Admin" className="chips">
        <NavLink to="/admin" end>
          Dashboard
        </NavLink>
        <NavLink to="/admin/customers">Customers</NavLink>
        <NavLink to="/admin/zoho" end>
          Zoho Books
        </NavLink>
        <NavLink to="/admin/zoho-calls">Zoho calls</NavLink>
        <NavLink to="/admin/reconciliation">Reconciliation</NavLink>
        <NavLink to="/admin/audit">Audit log</NavLink>
        {adminRole === "owner" ? <NavLink to="/admin/admins">Admins</NavLink> : null}
        <NavLink to="/admin/security">Sign-in security</NavLink>
      </nav>
      <Outlet />
    </div>
  );
}

/**
 * The admin console's errors. A dangerous action whose factor check is too old answers with the re-auth step
 * (app/auth/reauth.server.ts): shown here, under the site's header, with the root's data (its CSRF token) loaded.
 * Every other error looks as it does anywhere else.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const root = useRouteLoaderData<{ requestId?: string }>("root");
  const fallbackRequestId = useRequestId();
  if (isRouteErrorResponse(error) && isReauthStep(error.data)) return <ReauthStepPage step={error.data} constraint={getZodConstraint(ReauthSchema)} />;
  return <ErrorPage error={error} requestId={root?.requestId ?? fallbackRequestId} />;
}

// A re-auth step refused for too many wrong codes keeps its Retry-After.
export const headers = keepRetryAfter;
