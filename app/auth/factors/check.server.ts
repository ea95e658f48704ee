// Checking an admin's second factor where a person types a code (sign-in, a password reset, setting up an
// app, confirming who they are again), throttled per (admin, client address), per address and per admin.
import type { AppServices } from "~/context.server";
import { perAddress } from "../rate-limit.server";
import { clearPair, FACTOR_LIMITS, factorKeys, factorWaitSeconds, readCounts, recordFailure } from "../throttle.server";
import type { AppSession } from "../session.server";
import { verifyAssertion, type AssertionVerdict } from "./passkey.server";
import { checkFactorCode } from "./store.server";
import { totpCodeStep } from "./totp";

export type FactorCheck = { ok: true; via: "totp" | "recovery"; step?: number } | { ok: false; reason: "wrong" | "used" } | { ok: false; reason: "wait"; retryAfterSeconds: number };

type Attempt = { userId: string; code: string; clientAddress: string | null };

type Wait = { ok: false; reason: "wait"; retryAfterSeconds: number };

/**
 * One check of an admin's second factor under the factor throttle: codes and passkeys count together, per
 * (admin, address), per address and per admin. Over any limit the check is not even tried.
 */
async function throttled<V extends { ok: boolean }>(app: AppServices, userId: string, address: string | null, check: () => Promise<V>): Promise<V | Wait> {
  const limits = { ...FACTOR_LIMITS, address: perAddress(FACTOR_LIMITS.address, app.env.RATE_LIMIT_ADDRESS_FACTOR) };
  const keys = factorKeys(userId, address);
  const wait = factorWaitSeconds(await readCounts(app.db, keys), limits, new Date());
  if (wait) return { ok: false, reason: "wait", retryAfterSeconds: wait };
  const verdict = await check();
  if (verdict.ok) await clearPair(app.db, keys);
  else await recordFailure(app.db, keys, limits);
  return verdict;
}

/** The code against the admin's enrolled factors (or, while they set an app up, against its new secret). */
export async function verifyFactorCode(app: AppServices, attempt: Attempt, settingUp?: { secret: string }): Promise<FactorCheck> {
  return throttled(app, attempt.userId, attempt.clientAddress, async (): Promise<FactorCheck> => {
    if (!settingUp) return checkFactorCode(app.db, attempt.userId, attempt.code, app.env.TOKEN_ENCRYPTION_KEY);
    const step = totpCodeStep(settingUp.secret, attempt.code.replace(/\s/g, ""));
    return step === null ? { ok: false, reason: "wrong" } : { ok: true, via: "totp", step };
  });
}

export type PasskeyCheck = AssertionVerdict | Wait;

/** A passkey's assertion at sign-in (its challenge from this session), throttled like the codes. */
export async function verifyPasskeySignIn(app: AppServices, attempt: { userId: string; response: string; clientAddress: string | null; session: AppSession }): Promise<PasskeyCheck> {
  return throttled(app, attempt.userId, attempt.clientAddress, () => verifyAssertion(app, attempt.session, attempt.userId, attempt.response));
}

/** What the person is told when a passkey is refused. */
export function refusedPasskeyMessage(check: Exclude<PasskeyCheck, { ok: true }>, waitInWords: (s: number) => string): string {
  if (check.reason === "wait") return `Too many failed attempts. Please try again ${waitInWords(check.retryAfterSeconds)}.`;
  if (check.reason === "challenge") return "That passkey request has expired or was already used. Press “Sign in with a passkey” again.";
  if (check.reason === "unknown-credential") return "That passkey is not one of this account's. Use another passkey, or type a code below.";
  return "That passkey could not be verified. Try again, or type a code from your authenticator app or a recovery code below.";
}

/** What the person is told when a code is refused. */
export function refusedCodeMessage(check: Exclude<FactorCheck, { ok: true }>, waitInWords: (s: number) => string): string {
  if (check.reason === "wait") return `Too many wrong codes. Please try again ${waitInWords(check.retryAfterSeconds)}.`;
  if (check.reason === "used") return "That code has already been used. Wait for the next code in your app, or use another recovery code.";
  return "That code is not right. Type the 6-digit code your authenticator app shows now, or one of your recovery codes.";
}
