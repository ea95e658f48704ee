import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { NavLink, Outlet } from "@remix-run/react";
import { requireAdmin } from "~/auth/guards.server";

// Layout for every /admin page: the guard runs here and again in each child loader/action.
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(request, context.app);
  return null;
}

export default function AdminLayout() {
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
        <NavLink to="/admin/audit">Audit log</NavLink>
      </nav>
      <Outlet />
    </div>
  );
}
