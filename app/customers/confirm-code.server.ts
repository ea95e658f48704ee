// The code from a confirmation mail, typed on the signed-in account page (for mail clients that break links).
// It confirms whatever that mail asked: the account's address, or a new address the customer asked for. 8
// characters, 15 minutes, 5 tries per code; typing is limited per account and per client address.
import type { AppServices } from "~/context.server";
import { CODE_PURPOSES, consumeCode } from "~/email/link-tokens.server";
import { hitLimits, LIMITS, limitKeys, perAddress } from "~/auth/rate-limit.server";
import { markVerified, queueConfirmedJob } from "~/auth/verification.server";
import { applyEmailChange } from "./email-change.server";

export type CodeResult =
  | { ok: true; confirmed: "address" | "new_address" }
  | { ok: false; reason: "wrong"; triesLeft: number }
  | { ok: false; reason: "none" | "check_details" | "taken" | "changed" }
  | { ok: false; reason: "limited"; retryAfterSeconds: number };

export async function confirmWithCode(app: AppServices, userId: string, typed: string, clientAddress: string | null): Promise<CodeResult> {
  const limited = await hitLimits(
    app.db,
    limitKeys("code", {
      account: { id: userId, limit: LIMITS.code.account },
      ip: { id: clientAddress, limit: perAddress(LIMITS.code.ip, app.env.RATE_LIMIT_ADDRESS_FACTOR) },
    }),
  );
  if (!limited.ok) return { ok: false, reason: "limited", retryAfterSeconds: limited.retryAfterSeconds };
  const outcome = await app.db.transaction(async (tx): Promise<{ result: CodeResult; jobId: string | null }> => {
    const code = await consumeCode(tx, app.env.SESSION_SECRET, userId, CODE_PURPOSES, typed);
    if (!code.ok) return { result: code, jobId: null };
    if (code.purpose === "change_email") {
      const changed = await applyEmailChange(tx, userId, code.email);
      return changed.ok ? { result: { ok: true, confirmed: "new_address" }, jobId: changed.jobId } : { result: changed, jobId: null };
    }
    const jobId = await markVerified(tx, userId, code.email, "code");
    if (jobId === "check_details") return { result: { ok: false, reason: "check_details" }, jobId: null };
    if (jobId === false) return { result: { ok: false, reason: "changed" }, jobId: null };
    return { result: { ok: true, confirmed: "address" }, jobId };
  });
  if (outcome.result.ok) await queueConfirmedJob(app, outcome.jobId);
  return outcome.result;
}
