// The names of admin actions in the audit log, and how the console shows them. Other features add theirs here
// (a second factor, invitations and roles): the log stores the name, the page shows the label.
export const ADMIN_ACTIONS = [
  "sign_in",
  "sign_in_failed",
  "sign_out",
  "customer.retry",
  "customer.reset",
  "customer.link",
  "customer.confirm_link",
  "customer.unlink",
  "customers.retry_all_failed",
  "customers.confirm_all_links",
  "customers.backfill",
  "zoho.connect_started",
  "zoho.connected",
  "zoho.connect_failed",
  "zoho.disconnected",
  "admins.invited",
  "admins.invitation_revoked",
  "admins.invitation_accepted",
  "admins.role_changed",
  "admins.removed",
  "factor.totp_enrolled",
  "factor.recovery_codes_replaced",
  "factor.check_failed",
  "factor.reauth",
  "factor.reauth_failed",
  "factor.passkey_registration_started",
  "factor.passkey_added",
  "factor.passkey_removed",
] as const;
export type AdminAction = (typeof ADMIN_ACTIONS)[number];

export const ADMIN_ACTION_LABEL: Record<AdminAction, string> = {
  sign_in: "Signed in",
  sign_in_failed: "Sign-in refused",
  sign_out: "Signed out",
  "customer.retry": "Retried a customer's sync",
  "customer.reset": "Reset a customer's sync",
  "customer.link": "Linked a Zoho contact",
  "customer.confirm_link": "Confirmed a suggested link",
  "customer.unlink": "Unlinked a Zoho contact",
  "customers.retry_all_failed": "Retried all failed",
  "customers.confirm_all_links": "Confirmed all suggested links",
  "customers.backfill": "Started a backfill",
  "zoho.connect_started": "Started connecting Zoho",
  "zoho.connected": "Connected Zoho",
  "zoho.connect_failed": "Connecting Zoho failed",
  "zoho.disconnected": "Disconnected Zoho",
  "admins.invited": "Invited an admin",
  "admins.invitation_revoked": "Revoked an invitation",
  "admins.invitation_accepted": "Accepted an invitation",
  "admins.role_changed": "Changed an admin's role",
  "admins.removed": "Removed an admin",
  "factor.totp_enrolled": "Set up an authenticator app",
  "factor.recovery_codes_replaced": "Made new recovery codes",
  "factor.check_failed": "Second factor refused (a code or a passkey)",
  "factor.reauth": "Confirmed it was them (second factor again)",
  "factor.reauth_failed": "Second-factor code refused (confirming an action)",
  "factor.passkey_registration_started": "Started adding a passkey",
  "factor.passkey_added": "Added a passkey",
  "factor.passkey_removed": "Removed a passkey",
};

/** How the console names an action (an unknown name, written by a newer version, shows as it is). */
export const actionLabel = (action: string) => (ADMIN_ACTION_LABEL as Record<string, string | undefined>)[action] ?? action;

const shown = (v: unknown) => (v === null || v === undefined || v === "" ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v));

/** "status: failed → manual; contactId: — → 4600…": the fields that differ between before and after. */
export function describeChange(before: Record<string, unknown> | null, after: Record<string, unknown> | null): string | null {
  if (!before && !after) return null;
  if (!before) return Object.entries(after ?? {}).map(([k, v]) => `${k}: ${shown(v)}`).join("; ") || null;
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after ?? {})])];
  const changed = keys.filter((k) => shown(before[k]) !== shown(after?.[k]));
  return changed.length ? changed.map((k) => `${k}: ${shown(before[k])} → ${shown(after?.[k])}`).join("; ") : "no change";
}
