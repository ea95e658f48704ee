// The one home of admin_factors and admin_recovery_codes: enrolling, checking and resetting an admin's second
// factors (docs/decisions/034). TOTP secrets are encrypted at rest with TOKEN_ENCRYPTION_KEY.
import { and, asc, count, eq, isNull, sql } from "drizzle-orm";
import { fromBase64, toBase64 } from "~/common/base64";
import type { Db, DbOrTx, SqlRunner } from "~/db/client.server";
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

export type PasskeyRow = { id: string; label: string; createdAt: Date; lastUsedAt: Date | null; credentialId: string };

/** An admin's passkeys, oldest first. */
export async function passkeysOf(db: DbOrTx, userId: string): Promise<PasskeyRow[]> {
  const rows = await db
    .select({ id: adminFactors.id, label: adminFactors.label, createdAt: adminFactors.createdAt, lastUsedAt: adminFactors.lastUsedAt, credentialId: adminFactors.credentialId })
    .from(adminFactors)
    .where(and(eq(adminFactors.userId, userId), eq(adminFactors.kind, "passkey")))
    .orderBy(asc(adminFactors.createdAt));
  return rows.map((r) => ({ ...r, label: r.label ?? "Passkey", credentialId: r.credentialId! }));
}

/** One of this admin's passkeys by its credential id (another admin's is not found). */
export async function passkeyCredential(db: DbOrTx, userId: string, credentialId: string) {
  const [row] = await db
    .select({ id: adminFactors.id, credentialId: adminFactors.credentialId, publicKey: adminFactors.publicKey, signCount: adminFactors.signCount })
    .from(adminFactors)
    .where(and(eq(adminFactors.userId, userId), eq(adminFactors.kind, "passkey"), eq(adminFactors.credentialId, credentialId)));
  return row ? { id: row.id, credentialId: row.credentialId!, publicKey: fromBase64(row.publicKey!), signCount: row.signCount ?? 0 } : null;
}

/**
 * Accepts a passkey's signature counter: it must grow, unless the authenticator keeps none (0 then, and 0
 * before). In one statement, so a replayed assertion racing the first is refused. False: refused.
 */
export async function acceptPasskeyCounter(db: DbOrTx, factorId: string, newCounter: number, now = new Date()): Promise<boolean> {
  const [taken] = await db
    .update(adminFactors)
    .set({ signCount: newCounter, lastUsedAt: now })
    .where(and(eq(adminFactors.id, factorId), sql`(coalesce(${adminFactors.signCount}, 0) < ${newCounter} or (${newCounter} = 0 and coalesce(${adminFactors.signCount}, 0) = 0))`))
    .returning({ id: adminFactors.id });
  return !!taken;
}

/**
 * Stores a passkey the admin just created (its public key, COSE, as base64). Gives ten recovery codes when the
 * admin has none left (a passkey as the first factor). Null: that credential is already registered.
 */
export async function addPasskey(
  db: DbOrTx,
  userId: string,
  passkey: { credentialId: string; publicKey: Uint8Array; signCount: number; label: string },
): Promise<{ factorId: string; recoveryCodes: string[] | null } | null> {
  const [row] = await db
    .insert(adminFactors)
    .values({ userId, kind: "passkey", credentialId: passkey.credentialId, publicKey: toBase64(passkey.publicKey), signCount: passkey.signCount, label: passkey.label })
    .onConflictDoNothing()
    .returning({ id: adminFactors.id });
  if (!row) return null;
  const summary = await factorSummary(db, userId);
  return { factorId: row.id, recoveryCodes: summary.recoveryCodesLeft ? null : await replaceRecoveryCodes(db, userId) };
}

/**
 * Removes one of the admin's passkeys, never their last factor (the admin's factors are locked meanwhile, so
 * two removals at once cannot both pass). "last": it is their only factor; "missing": not one of theirs.
 */
export async function removePasskey(db: Db, userId: string, factorId: string): Promise<"removed" | "last" | "missing"> {
  return db.transaction(async (tx) => {
    const factors = await tx.select({ id: adminFactors.id, kind: adminFactors.kind }).from(adminFactors).where(eq(adminFactors.userId, userId)).for("update");
    if (!factors.some((f) => f.id === factorId && f.kind === "passkey")) return "missing";
    if (factors.length < 2) return "last";
    await tx.delete(adminFactors).where(and(eq(adminFactors.id, factorId), eq(adminFactors.userId, userId)));
    return "removed";
  });
}

/** `npm run admin:create -- --reset-factors`: every factor and recovery code gone, every session ended. */
export async function resetSecondFactors(db: SqlRunner, userId: string) {
  await db.execute(sql`delete from ${adminFactors} where ${adminFactors.userId} = ${userId}`);
  await db.execute(sql`delete from ${adminRecoveryCodes} where ${adminRecoveryCodes.userId} = ${userId}`);
  await db.execute(sql`delete from ${sessions} where ${sessions.userId} = ${userId}`);
}
