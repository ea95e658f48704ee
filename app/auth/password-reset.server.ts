// Password reset by email: the request answers the same whether or not the address has an account
// (nothing to learn from it), is throttled per address and per client, and the link works once for
// an hour. Choosing the new password ends every session of the account and is the proof sign-in asks for
// when strangers have been guessing the account's password (docs/decisions/024).
// On an account that was never confirmed, the reset is its owner taking it over (issue 19, item 4): whoever
// registered it is signed out, its confirmation links stop working, and nothing syncs until the owner has
// checked its name and delivery address (app/customers/profile.server.ts).
import { eq, sql } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import { sessions, users } from "~/db/schema";
import { sendSoon } from "~/email/outbox.server";
import { ACCOUNT_EVENTS, recordAccountEvent } from "~/sync/account-timeline.server";
import type { DbOrTx } from "~/db/client.server";
import { checkToken, consumeToken, revokeTokens } from "~/email/link-tokens.server";
import { verifyFactorCode, type FactorCheck } from "./factors/check.server";
import { hasSecondFactor } from "./factors/store.server";
import { hashPassword } from "./password.server";
import { hitLimits, LIMITS, limitKeys, perAddress, type LimitVerdict } from "./rate-limit.server";
import { clearAccountFailures } from "./throttle.server";

export async function requestPasswordReset(app: AppServices, email: string, clientAddress: string | null): Promise<LimitVerdict> {
  const verdict = await hitLimits(
    app.db,
    limitKeys("reset", { ip: { id: clientAddress, limit: perAddress(LIMITS.passwordReset.ip, app.env.RATE_LIMIT_ADDRESS_FACTOR) }, email: { id: email, limit: LIMITS.passwordReset.email } }),
  );
  if (!verdict.ok) return verdict;
  const [user] = await app.db.select({ id: users.id, email: users.email }).from(users).where(sql`lower(${users.email}) = lower(${email})`);
  if (user) await sendSoon(app, app.db, [{ kind: "reset_password", userId: user.id, to: user.email }]);
  return { ok: true };
}

export type ResetResult =
  | { ok: true; userId: string }
  | { ok: false; reason: "unknown" | "used" | "expired" }
  | { ok: false; reason: "factor"; check: Exclude<FactorCheck, { ok: true }> };

/** Whether the reset link's account is an admin with a second factor (then the reset asks for it too). */
export async function resetNeedsFactor(app: AppServices, userId: string): Promise<boolean> {
  const [user] = await app.db.select({ role: users.role }).from(users).where(eq(users.id, userId));
  return user?.role === "admin" && (await hasSecondFactor(app.db, userId));
}

/**
 * A mailbox alone does not make an admin (issue 23): an admin's reset also needs their factor's code or a
 * recovery code, checked (and throttled) before the link is used up.
 */
export async function resetPassword(app: AppServices, token: string, password: string, proof: { code?: string; clientAddress: string | null }): Promise<ResetResult> {
  const link = await checkToken(app.db, token, "reset_password");
  if (link.ok && (await resetNeedsFactor(app, link.userId))) {
    const check = await verifyFactorCode(app, { userId: link.userId, code: proof.code ?? "", clientAddress: proof.clientAddress });
    if (!check.ok) return { ok: false, reason: "factor", check };
  }
  const passwordHash = await hashPassword(password);
  return app.db.transaction(async (tx): Promise<ResetResult> => {
    const used = await consumeToken(tx, token, "reset_password");
    if (!used.ok) return used;
    const [user] = await tx.update(users).set({ passwordHash }).where(eq(users.id, used.userId)).returning({ verifiedAt: users.emailVerifiedAt, role: users.role });
    // Signed out everywhere: whoever knew the old password loses their session too, and so does the
    // browser that registered the account (it could press Confirm).
    await tx.delete(sessions).where(sql`${sessions.userId} = ${used.userId} or ${sessions.data}->'registered'->>'userId' = ${used.userId}`);
    if (user && !user.verifiedAt && user.role === "customer") {
      await revokeTokens(tx, used.userId, ["verify_email", "change_email"]);
      await markTakenBack(tx, used.userId);
    }
    await clearAccountFailures(tx, used.email);
    return { ok: true, userId: used.userId };
  });
}

/** Set by the password reset: the account was never confirmed, so its owner checks its details first. */
export async function markTakenBack(tx: DbOrTx, userId: string, now = new Date()) {
  const [held] = await tx
    .update(users)
    .set({ takenBackAt: now, removeUnverifiedAfter: new Date(now.getTime() + 7 * 24 * 60 * 60_000) })
    .where(eq(users.id, userId))
    .returning({ id: users.id });
  if (held) await recordAccountEvent(tx, userId, ACCOUNT_EVENTS.takenBack, { actorUserId: null });
}
