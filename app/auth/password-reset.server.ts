// Password reset by email: the request answers the same whether or not the address has an account
// (nothing to learn from it), is throttled per address and per client, and the link works once for
// an hour. Choosing the new password ends every session of the account and lifts the sign-in lock.
import { eq, sql } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import { authThrottle, sessions, users } from "~/db/schema";
import { sendSoon } from "~/email/outbox.server";
import { consumeToken, mintToken } from "./email-tokens.server";
import { hashPassword } from "./password.server";
import { hitLimits, LIMITS, limitKeys, perAddress, type LimitVerdict } from "./rate-limit.server";

export async function requestPasswordReset(app: AppServices, email: string, clientAddress: string | null): Promise<LimitVerdict> {
  const verdict = await hitLimits(
    app.db,
    limitKeys("reset", { ip: { id: clientAddress, limit: perAddress(LIMITS.passwordReset.ip, app.env.RATE_LIMIT_ADDRESS_FACTOR) }, email: { id: email, limit: LIMITS.passwordReset.email } }),
  );
  if (!verdict.ok) return verdict;
  const [user] = await app.db.select({ id: users.id, email: users.email }).from(users).where(sql`lower(${users.email}) = lower(${email})`);
  if (user) await sendSoon(app, app.db, [{ kind: "reset_password", userId: user.id, to: user.email }], mintToken);
  return { ok: true };
}

export type ResetResult = { ok: true; userId: string } | { ok: false; reason: "unknown" | "used" | "expired" };

export async function resetPassword(app: AppServices, token: string, password: string): Promise<ResetResult> {
  const passwordHash = await hashPassword(password);
  return app.db.transaction(async (tx): Promise<ResetResult> => {
    const used = await consumeToken(tx, token, "reset_password");
    if (!used.ok) return used;
    await tx.update(users).set({ passwordHash }).where(eq(users.id, used.userId));
    // Signed out everywhere: whoever knew the old password loses their session too.
    await tx.delete(sessions).where(eq(sessions.userId, used.userId));
    await tx.delete(authThrottle).where(sql`${authThrottle.key} = ${`email:${used.email.trim().toLowerCase()}`}`);
    return { ok: true, userId: used.userId };
  });
}
