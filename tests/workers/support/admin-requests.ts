// Every state-changing request an admin can send, with the audit action it must write. One list: the security
// matrix (security.test.ts) checks each is refused to anonymous visitors, customers and forged CSRF, and the
// audit log's table (audit-log.test.ts) checks each writes exactly one audit row. A new admin action goes here,
// and audit-log.test.ts fails while an admin route with an action (read from the Remix build) is missing.
// Placeholders in paths and fields (":id", ":contactId", ":expected") are filled by each test.
import type { AdminAction } from "~/audit/actions";

export type AdminRequest = {
  method: "POST" | "DELETE";
  path: string;
  /** Form fields (a Remix form); absent: a JSON API call. */
  fields?: Record<string, string>;
  audit: AdminAction;
  /** What the customer (":id") must be for the action to take effect. */
  needs?: "linked" | "suggested" | "failed" | "pending";
};

export const ADMIN_REQUESTS: AdminRequest[] = [
  { method: "POST", path: "/admin?index", fields: { intent: "backfill" }, audit: "customers.backfill", needs: "pending" },
  { method: "POST", path: "/admin?index", fields: { intent: "retry_all_failed", expected: ":expected" }, audit: "customers.retry_all_failed", needs: "failed" },
  { method: "POST", path: "/admin/zoho", fields: { intent: "connect" }, audit: "zoho.connect_started" },
  { method: "POST", path: "/admin/zoho", fields: { intent: "disconnect" }, audit: "zoho.disconnected" },
  { method: "POST", path: "/admin/customers/:id", fields: { intent: "retry" }, audit: "customer.retry" },
  { method: "POST", path: "/admin/customers/:id", fields: { intent: "link", contactId: ":contactId" }, audit: "customer.link" },
  { method: "POST", path: "/admin/customers/:id", fields: { intent: "confirm", contactId: ":contactId" }, audit: "customer.confirm_link", needs: "suggested" },
  { method: "POST", path: "/admin/customers/:id", fields: { intent: "unlink" }, audit: "customer.unlink", needs: "linked" },
  { method: "POST", path: "/admin/customers?index", fields: { intent: "confirm_all", expected: ":expected" }, audit: "customers.confirm_all_links", needs: "suggested" },
  { method: "POST", path: "/api/admin/customers/:id/zoho-sync", audit: "customer.retry" },
  { method: "DELETE", path: "/api/admin/customers/:id/zoho-sync", audit: "customer.reset" },
  { method: "POST", path: "/logout", fields: {}, audit: "sign_out" },
];

/** Audit actions written by something other than an admin's POST (sign-in, Zoho's redirect back). */
export const AUDITED_ELSEWHERE: AdminAction[] = ["sign_in", "sign_in_failed", "zoho.connected", "zoho.connect_failed"];

/** The request with its placeholders filled. */
export function fill(r: AdminRequest, values: { id: string; contactId?: string; expected?: string }) {
  const sub = (s: string) => s.replace(":id", values.id).replace(":contactId", values.contactId ?? "460000000026049").replace(":expected", values.expected ?? "1");
  return {
    ...r,
    path: sub(r.path),
    fields: r.fields ? Object.fromEntries(Object.entries(r.fields).map(([k, v]) => [k, sub(v)])) : undefined,
  };
}
