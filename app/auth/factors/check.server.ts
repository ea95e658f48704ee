// Checking an admin's second factor where a person types a code (sign-in, a password reset, setting up an
// app, confirming who they are again), throttled per (admin, client address), per address and per admin.
import type { AppServices } from "~/context.server";
import { perAddress } from "../rate-limit.server";
import { clearPair, FACTOR_LIMITS, factorKeys, factorWaitSeconds, readCounts, recordFailure } from "../throttle.server";
import { checkFactorCode } from "./store.server";
import { totpCodeStep } from "./totp";

export type FactorCheck = { ok: true; via: "totp" | "recovery"; step?: number } | { ok: false; reason: "wrong" | "used" } | { ok: false; reason: "wait"; retryAfterSeconds: number };

type Attempt = { userId: string; code: string; clientAddress: string | null };

/** The code against the admin's enrolled factors (or, while they set an app up, against its new secret). */
export async function verifyFactorCode(app: AppServices, attempt: Attempt, settingUp?: { secret: string }): Promise<FactorCheck> {
  const limits = { ...FACTOR_LIMITS, address: perAddress(FACTOR_LIMITS.address, app.env.RATE_LIMIT_ADDRESS_FACTOR) };
  const keys = factorKeys(attempt.userId, attempt.clientAddress);
  const wait = factorWaitSeconds(await readCounts(app.db, keys), limits, new Date());
  if (wait) return { ok: false, reason: "wait", retryAfterSeconds: wait };
  let verdict: FactorCheck;
  if (settingUp) {
    const step = totpCodeStep(settingUp.secret, attempt.code.replace(/\s/g, ""));
    verdict = step === null ? { ok: false, reason: "wrong" } : { ok: true, via: "totp", step };
  } else {
    verdict = await checkFactorCode(app.db, attempt.userId, attempt.code, app.env.TOKEN_ENCRYPTION_KEY);
  }
  if (verdict.ok) await clearPair(app.db, keys);
  else await recordFailure(app.db, keys, limits);
  return verdict;
}

/** What the person is told when a code is refused. */
export function refusedCodeMessage(check: Exclude<FactorCheck, { ok: true }>, waitInWords: (s: number) => string): string {
  if (check.reason === "wait") return `Too many wrong codes. Please try again ${waitInWords(check.retryAfterSeconds)}.`;
  if (check.reason === "used") return "That code has already been used. Wait for the next code in your app, or use another recovery code.";
  return "That code is not right. Type the 6-digit code your authenticator app shows now, or one of your recovery codes.";
}
