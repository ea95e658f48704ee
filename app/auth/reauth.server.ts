// Re-authentication for the dangerous admin actions (issue 23, docs/decisions/040). Every such action calls
// requireRecentFactor after its role check and before it changes anything. When this session's last factor
// check is older than ADMIN_REAUTH_MINUTES, the request is answered with the re-auth step instead (the page
// asking for the code, carrying the action's own fields): nothing is done. The step posts the same fields
// back to the same action with the code (and the CSRF field, like every form); a right code marks the session
// checked and the action goes ahead in that same request.
import { data } from "@remix-run/cloudflare";
import { parseWithZod } from "@conform-to/zod/v4";
import { recordAdminAction } from "~/audit/audit.server";
import type { AdminAction } from "~/audit/actions";
import type { AppServices } from "~/context.server";
import { factorCheckIsRecent } from "./admin-freshness";
import { refusedCodeMessage, verifyFactorCode } from "./factors/check.server";
import { clientAddress, waitInWords } from "./rate-limit.server";
import { REAUTH_FIELD, ReauthSchema } from "./schemas";
import { getSession, setSessionTime, type CurrentUser } from "./session.server";

/** The dangerous actions, by the audit action each writes, and how the step names them. The one list. */
export const REAUTH_ACTIONS = {
  "zoho.disconnected": "disconnect Zoho Books",
  "customers.confirm_all_links": "confirm all suggested links",
  "customers.retry_all_failed": "retry all failed customers",
  "customers.backfill": "start a backfill",
  "admins.invited": "invite an admin",
  "admins.role_changed": "change an admin's role",
  "admins.removed": "remove an admin",
} as const satisfies Partial<Record<AdminAction, string>>;
export type DangerousAction = keyof typeof REAUTH_ACTIONS;

/** What the re-auth step shows and carries (the thrown answer's data; app/components/reauth-step.tsx renders it). */
export type ReauthStep = {
  reauth: DangerousAction;
  /** "disconnect Zoho Books" */
  what: string;
  /** The action's own fields (intent included), CSRF and code left out. */
  fields: Record<string, string>;
  error: string | null;
  minutes: number;
};

export async function requireRecentFactor(request: Request, app: AppServices, admin: CurrentUser, formData: FormData, action: DangerousAction): Promise<void> {
  const session = await getSession(request, app);
  const now = new Date();
  const minutes = app.env.ADMIN_REAUTH_MINUTES;
  if (factorCheckIsRecent({ factorCheckedAt: session.get("factorCheckedAt") }, minutes, now)) return;
  const step = (error: string | null, status: number, headers?: HeadersInit) => {
    if (new URL(request.url).pathname.startsWith("/api/"))
      return Response.json({ error: `Confirm it is you first: type your second factor again to ${REAUTH_ACTIONS[action]}.`, reauth: true }, { status, headers });
    const fields: Record<string, string> = {};
    for (const [name, value] of formData) if (typeof value === "string" && name !== "csrf" && name !== REAUTH_FIELD) fields[name] = value;
    return data<ReauthStep>({ reauth: action, what: REAUTH_ACTIONS[action], fields, error, minutes }, { status, headers });
  };
  // The action's own form: ask for the code (nothing is recorded, nothing done).
  if (!formData.has(REAUTH_FIELD)) throw step(null, 401);
  const submission = parseWithZod(formData, { schema: ReauthSchema });
  if (submission.status !== "success") throw step(submission.error?.[REAUTH_FIELD]?.[0] ?? "Type the code from your authenticator app.", 400);
  const address = clientAddress(request);
  // Throttled with the sign-in's factor step (the same counts: per admin and address, per address, per admin).
  const check = await verifyFactorCode(app, { userId: admin.id, code: submission.value.factorCode, clientAddress: address });
  if (!check.ok) {
    await recordAdminAction(app.db, { adminId: admin.id, action: "factor.reauth_failed", clientAddress: address, reason: check.reason, after: { for: action } });
    if (check.reason === "wait") throw step(refusedCodeMessage(check, waitInWords), 429, { "Retry-After": String(check.retryAfterSeconds) });
    throw step(refusedCodeMessage(check, waitInWords), 400);
  }
  await setSessionTime(app, session, "factorCheckedAt", now);
  await recordAdminAction(app.db, { adminId: admin.id, action: "factor.reauth", clientAddress: address, after: { for: action, via: check.via } });
}
