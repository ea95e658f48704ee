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
  /** The least admin role that may send it (README "Admins: roles and invitations"). */
  role: "staff" | "owner";
  /**
   * What must exist for the action to take effect: the customer (":id") in a state, or another admin
   * (":adminId", a staff admin) or a waiting invitation (":invitationId").
   */
  needs?: "linked" | "suggested" | "failed" | "pending" | "staff_admin" | "invitation" | PasskeyNeed;
};

/**
 * The signed-in admin's own passkey state (filled after signing in, by support/soft-passkey.ts): a challenge
 * asked for and an authenticator's answer to it (":attestation"), or a passkey of theirs (":passkeyId").
 */
export type PasskeyNeed = "passkey_challenge" | "own_passkey";

export const ADMIN_REQUESTS: AdminRequest[] = [
  { method: "POST", path: "/admin?index", fields: { intent: "backfill" }, audit: "customers.backfill", role: "owner", needs: "pending" },
  { method: "POST", path: "/admin?index", fields: { intent: "retry_all_failed", expected: ":expected" }, audit: "customers.retry_all_failed", role: "staff", needs: "failed" },
  { method: "POST", path: "/admin/zoho", fields: { intent: "connect" }, audit: "zoho.connect_started", role: "owner" },
  { method: "POST", path: "/admin/zoho", fields: { intent: "disconnect" }, audit: "zoho.disconnected", role: "owner" },
  { method: "POST", path: "/admin/customers/:id", fields: { intent: "retry" }, audit: "customer.retry", role: "staff" },
  { method: "POST", path: "/admin/customers/:id", fields: { intent: "link", contactId: ":contactId" }, audit: "customer.link", role: "staff" },
  { method: "POST", path: "/admin/customers/:id", fields: { intent: "confirm", contactId: ":contactId" }, audit: "customer.confirm_link", role: "staff", needs: "suggested" },
  { method: "POST", path: "/admin/customers/:id", fields: { intent: "unlink" }, audit: "customer.unlink", role: "staff", needs: "linked" },
  { method: "POST", path: "/admin/customers?index", fields: { intent: "confirm_all", expected: ":expected" }, audit: "customers.confirm_all_links", role: "staff", needs: "suggested" },
  { method: "POST", path: "/admin/admins", fields: { intent: "invite", email: ":newEmail", role: "staff" }, audit: "admins.invited", role: "owner" },
  { method: "POST", path: "/admin/admins", fields: { intent: "revoke", invitationId: ":invitationId" }, audit: "admins.invitation_revoked", role: "owner", needs: "invitation" },
  { method: "POST", path: "/admin/admins", fields: { intent: "change_role", userId: ":adminId", role: "owner" }, audit: "admins.role_changed", role: "owner", needs: "staff_admin" },
  { method: "POST", path: "/admin/admins", fields: { intent: "remove", userId: ":adminId" }, audit: "admins.removed", role: "owner", needs: "staff_admin" },
  { method: "POST", path: "/admin/security", fields: { intent: "new-recovery-codes" }, audit: "factor.recovery_codes_replaced", role: "staff" },
  { method: "POST", path: "/admin/security", fields: { intent: "passkey-options" }, audit: "factor.passkey_registration_started", role: "staff" },
  { method: "POST", path: "/admin/security", fields: { intent: "add-passkey", name: "Soft key", response: ":attestation" }, audit: "factor.passkey_added", role: "staff", needs: "passkey_challenge" },
  { method: "POST", path: "/admin/security", fields: { intent: "remove-passkey", factorId: ":passkeyId" }, audit: "factor.passkey_removed", role: "staff", needs: "own_passkey" },
  { method: "POST", path: "/api/admin/customers/:id/zoho-sync", audit: "customer.retry", role: "staff" },
  { method: "DELETE", path: "/api/admin/customers/:id/zoho-sync", audit: "customer.reset", role: "staff" },
  { method: "POST", path: "/logout", fields: {}, audit: "sign_out", role: "staff" },
];

/** Audit actions written by something other than an admin's POST (sign-in, Zoho's redirect back). */
export const AUDITED_ELSEWHERE: AdminAction[] = [
  "sign_in",
  "sign_in_failed",
  "zoho.connected",
  "zoho.connect_failed",
  // The invitee's own POST (admins.test.ts), the set-up and the sign-in's second step (admin-factors.test.ts).
  "admins.invitation_accepted",
  "factor.totp_enrolled",
  "factor.check_failed",
  // The re-auth step before a dangerous action (reauth.test.ts).
  "factor.reauth",
  "factor.reauth_failed",
];

/** The request with its placeholders filled. */
export function fill(
  r: AdminRequest,
  values: { id: string; contactId?: string; expected?: string; adminId?: string; invitationId?: string; attestation?: string; passkeyId?: string },
) {
  const none = "00000000-0000-4000-8000-000000000000";
  const sub = (s: string) =>
    s
      .replace(":invitationId", values.invitationId ?? none)
      .replace(":passkeyId", values.passkeyId ?? none)
      .replace(":attestation", values.attestation ?? "{}")
      .replace(":adminId", values.adminId ?? none)
      .replace(":newEmail", `invitee.${crypto.randomUUID().slice(0, 8)}@staff.example`)
      .replace(":id", values.id)
      .replace(":contactId", values.contactId ?? "460000000026049")
      .replace(":expected", values.expected ?? "1");
  return {
    ...r,
    path: sub(r.path),
    fields: r.fields ? Object.fromEntries(Object.entries(r.fields).map(([k, v]) => [k, sub(v)])) : undefined,
  };
}
