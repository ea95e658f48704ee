import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { NavLink, Outlet } from "@remix-run/react";
import { requireAdmin } from "~/auth/guards.server";

// Layout for every /admin page: the guard runs here and again in each child loader/action (here it lets an
// admin without a second factor through: /admin/security sets one up, every other child sends them there).
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(request, context.app, { setup: true });
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
        <NavLink to="/admin/zoho">Zoho Books</NavLink>
        <NavLink to="/admin/security">Sign-in security</NavLink>
      </nav>
      <Outlet />
    </div>
  );
}
