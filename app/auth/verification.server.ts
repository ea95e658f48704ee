// Email verification: every new account gets a single-use link (24 h); until it is opened the
// customer's Zoho sync job waits (see OWNER_VERIFIED in app/sync/jobs/sql.ts). Opening it makes
// the job due and puts it on the queue at once, so the click is followed by `synced` in seconds.
import { eq, sql } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import { users } from "~/db/schema";
import { pendingMailFor, sendSoon } from "~/email/outbox.server";
import { makeUserJobDue } from "~/sync/jobs/due.server";
import { sendJobs } from "~/sync/send.server";
import { consumeToken, mintToken } from "./email-tokens.server";
import { hitLimits, LIMITS, limitKeys, perAddress, type LimitVerdict } from "./rate-limit.server";

export const UNVERIFIED_LIFETIME_MS = 7 * 24 * 60 * 60_000;

type Refusal = { ok: false; reason: "unknown" | "used" | "expired" | "changed" };
/** `already`: the link was used before and the address it was sent to is confirmed (a mail scanner opened it first). */
export type VerifyResult = { ok: true; userId: string; jobId: string | null; queued: boolean; already?: boolean } | Refusal;

export async function verifyEmail(app: AppServices, token: string): Promise<VerifyResult> {
  const outcome = await app.db.transaction(async (tx): Promise<{ ok: true; userId: string; jobId: string | null; already?: boolean } | Refusal> => {
    const used = await consumeToken(tx, token, "verify_email");
    if (!used.ok && used.reason === "used") {
      // Mail filters open links before the customer does: the second opening says "confirmed", not "refused".
      const [confirmed] = await tx
        .select({ id: users.id })
        .from(users)
        .where(sql`${users.id} = ${used.userId} and lower(${users.email}) = lower(${used.email}) and ${users.emailVerifiedAt} is not null`);
      return confirmed ? { ok: true, userId: confirmed.id, jobId: null, already: true } : { ok: false, reason: "used" };
    }
    if (!used.ok) return { ok: false, reason: used.reason };
    const [user] = await tx
      .update(users)
      .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())`, removeUnverifiedAfter: null })
      .where(sql`${users.id} = ${used.userId} and lower(${users.email}) = lower(${used.email})`)
      .returning({ id: users.id });
    // The link was sent to an address the account no longer has: it proves nothing about the new one.
    if (!user) return { ok: false, reason: "changed" };
    return { ok: true, userId: user.id, jobId: await makeUserJobDue(tx, user.id) };
  });
  if (!outcome.ok) return outcome;
  const { jobId, userId } = outcome;
  if (outcome.already) return { ok: true, userId, jobId: null, queued: false, already: true };
  // Sent now, so the click is followed by `synced` in seconds; a lost send only delays the job until the sweep.
  const queued = jobId ? await sendJobs(app, [jobId], "email verified") : false;
  return { ok: true, userId, jobId, queued };
}

export type ResendResult = { ok: true; sent: boolean } | ({ ok: false } & Extract<LimitVerdict, { ok: false }>);

/** "Send it again": throttled per account and per client address; a verified account gets nothing. */
export async function resendVerification(app: AppServices, userId: string, clientAddress: string | null): Promise<ResendResult> {
  const limits = LIMITS.resendVerification;
  const verdict = await hitLimits(
    app.db,
    limitKeys("resend", {
      account: { id: userId, limit: limits.account },
      accountHourly: { id: `h:${userId}`, limit: limits.accountHourly },
      ip: { id: clientAddress, limit: perAddress(limits.ip, app.env.RATE_LIMIT_ADDRESS_FACTOR) },
    }),
  );
  if (!verdict.ok) return verdict;
  const [user] = await app.db.select({ email: users.email, verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, userId));
  if (!user || user.verifiedAt) return { ok: true, sent: false };
  await sendSoon(app, app.db, [{ kind: "verify_email", userId, to: user.email }], mintToken);
  return { ok: true, sent: true };
}

export type VerificationState = { verified: true } | { verified: false; email: string; removeAfter: Date | null; mailProblem: boolean };

/** What the account page tells an unverified customer (and whether their confirmation mail is stuck). */
export async function verificationState(app: AppServices, userId: string): Promise<VerificationState> {
  const [user] = await app.db
    .select({ email: users.email, verifiedAt: users.emailVerifiedAt, removeAfter: users.removeUnverifiedAfter })
    .from(users)
    .where(eq(users.id, userId));
  if (!user || user.verifiedAt) return { verified: true };
  const waiting = await pendingMailFor(app.db, userId, "verify_email");
  return { verified: false, email: user.email, removeAfter: user.removeAfter, mailProblem: waiting.some((m) => m.lastError) };
}
