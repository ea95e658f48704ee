import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { requireAdmin } from "~/auth/guards.server";

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
