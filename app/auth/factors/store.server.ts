// The one home of admin_factors and admin_recovery_codes: enrolling, checking and resetting an admin's second
// factors (docs/decisions/034). TOTP secrets are encrypted at rest with TOKEN_ENCRYPTION_KEY.
import { and, count, eq, isNull, sql } from "drizzle-orm";
import type { DbOrTx, SqlRunner } from "~/db/client.server";
import { adminFactors, adminRecoveryCodes, sessions } from "~/db/schema";
import { decryptSecret, encryptSecret } from "~/zoho/crypto.server";
import { hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCodes } from "./recovery-codes";
import { totpCodeStep } from "./totp";

export type FactorSummary = { totp: boolean; passkeys: number; recoveryCodesLeft: number };

export async function hasSecondFactor(db: DbOrTx, userId: string): Promise<boolean> {
  const [row] = await db.select({ id: adminFactors.id }).from(adminFactors).where(eq(adminFactors.userId, userId)).limit(1);
  return !!row;
}

export async function factorSummary(db: DbOrTx, userId: string): Promise<FactorSummary> {
  const factors = await db.select({ kind: adminFactors.kind }).from(adminFactors).where(eq(adminFactors.userId, userId));
  const [left] = await db
    .select({ n: count() })
    .from(adminRecoveryCodes)
    .where(and(eq(adminRecoveryCodes.userId, userId), isNull(adminRecoveryCodes.usedAt)));
  return { totp: factors.some((f) => f.kind === "totp"), passkeys: factors.filter((f) => f.kind === "passkey").length, recoveryCodesLeft: left?.n ?? 0 };
}

/**
 * Stores an authenticator app's secret whose code the admin just typed (`step`: that code's, used up), and
 * gives the admin ten recovery codes when they have none left. Returns the new codes (shown once) or null.
 */
export async function enrolTotp(db: DbOrTx, userId: string, secret: string, step: number, key: string): Promise<string[] | null> {
  await db.insert(adminFactors).values({ userId, kind: "totp", totpSecretEncrypted: await encryptSecret(secret, key), lastUsedStep: step, label: "Authenticator app" });
  const summary = await factorSummary(db, userId);
  return summary.recoveryCodesLeft ? null : replaceRecoveryCodes(db, userId);
}

/** Ten new recovery codes; the old ones stop working. */
export async function replaceRecoveryCodes(db: DbOrTx, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await db.delete(adminRecoveryCodes).where(eq(adminRecoveryCodes.userId, userId));
  await db.insert(adminRecoveryCodes).values(await Promise.all(codes.map(async (c) => ({ userId, codeHash: await hashRecoveryCode(c) }))));
  return codes;
}

export type CodeVerdict = { ok: true; via: "totp" | "recovery" } | { ok: false; reason: "wrong" | "used" };

/**
 * A code from the admin's authenticator app or one of their recovery codes. A TOTP code works once: its step
 * (and every earlier one) is used up in the same statement that accepts it, so of two requests with one code
 * only one gets in. A recovery code is used up the same way.
 */
export async function checkFactorCode(db: DbOrTx, userId: string, typed: string, key: string, now = Date.now()): Promise<CodeVerdict> {
  const code = typed.replace(/\s/g, "");
  if (/^\d{6}$/.test(code)) {
    const factors = await db
      .select({ id: adminFactors.id, secret: adminFactors.totpSecretEncrypted })
      .from(adminFactors)
      .where(and(eq(adminFactors.userId, userId), eq(adminFactors.kind, "totp")));
    for (const f of factors) {
      const step = totpCodeStep(await decryptSecret(f.secret!, key), code, now);
      if (step === null) continue;
      const [taken] = await db
        .update(adminFactors)
        .set({ lastUsedStep: step, lastUsedAt: new Date(now) })
        .where(and(eq(adminFactors.id, f.id), sql`(${adminFactors.lastUsedStep} is null or ${adminFactors.lastUsedStep} < ${step})`))
        .returning({ id: adminFactors.id });
      return taken ? { ok: true, via: "totp" } : { ok: false, reason: "used" };
    }
    return { ok: false, reason: "wrong" };
  }
  if (!looksLikeRecoveryCode(code)) return { ok: false, reason: "wrong" };
  const hash = await hashRecoveryCode(code);
  const [used] = await db
    .update(adminRecoveryCodes)
    .set({ usedAt: new Date(now) })
    .where(and(eq(adminRecoveryCodes.userId, userId), eq(adminRecoveryCodes.codeHash, hash), isNull(adminRecoveryCodes.usedAt)))
    .returning({ id: adminRecoveryCodes.id });
  if (used) return { ok: true, via: "recovery" };
  const [spent] = await db
    .select({ id: adminRecoveryCodes.id })
    .from(adminRecoveryCodes)
    .where(and(eq(adminRecoveryCodes.userId, userId), eq(adminRecoveryCodes.codeHash, hash)));
  return { ok: false, reason: spent ? "used" : "wrong" };
}

/** `npm run admin:create -- --reset-factors`: every factor and recovery code gone, every session ended. */
export async function resetSecondFactors(db: SqlRunner, userId: string) {
  await db.execute(sql`delete from ${adminFactors} where ${adminFactors.userId} = ${userId}`);
  await db.execute(sql`delete from ${adminRecoveryCodes} where ${adminRecoveryCodes.userId} = ${userId}`);
  await db.execute(sql`delete from ${sessions} where ${sessions.userId} = ${userId}`);
}
