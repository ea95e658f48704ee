// Email verification (docs/decisions/022): every new account gets a single-use link (24 h) and a code
// (15 min). Opening the link shows a page and changes nothing (mail scanners open every link); the
// address is confirmed only by a POST of its Confirm button from the browser that registered or one
// signed in to the account, or by the code typed on the signed-in account page. Until then the customer's
// Zoho sync job waits (OWNER_VERIFIED in app/sync/jobs/sql.ts); confirming makes it due and puts it on
// the queue at once, so the click is followed by `synced` in seconds.
import { eq, sql } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import type { DbOrTx } from "~/db/client.server";
import { customers, users } from "~/db/schema";
import { pendingMailFor, sendSoon } from "~/email/outbox.server";
import { ACCOUNT_EVENTS, recordAccountEvent } from "~/sync/account-timeline.server";
import { makeUserJobDue } from "~/sync/jobs/due.server";
import { sendJobs } from "~/sync/send.server";
import { checkToken, consumeToken } from "~/email/link-tokens.server";
import { hitLimits, LIMITS, limitKeys, perAddress, type LimitVerdict } from "./rate-limit.server";

export const UNVERIFIED_LIFETIME_MS = 7 * 24 * 60 * 60_000;

type Refusal = { ok: false; reason: "unknown" | "used" | "expired" | "changed" };

/** Who is at the keyboard: the account this browser is signed in to, and the one it just registered (if any). */
export type Actor = { signedInUserId: string | null; registeredUserId: string | null; clientAddress: string | null };

export type VerifyLinkView =
  | { ok: true; userId: string; email: string; name: string | null; registeredAt: Date; takenBack: boolean }
  /** Used before, and the address it was sent to is confirmed: the page says so instead of refusing. */
  | { ok: false; reason: "already"; userId: string }
  | Refusal;

/** What the confirmation page shows for a link: a read, never a write (a GET must not change state). */
export async function viewVerifyLink(app: AppServices, token: string): Promise<VerifyLinkView> {
  const check = token ? await checkToken(app.db, token, "verify_email") : ({ ok: false, reason: "unknown" } as const);
  if (!check.ok) {
    if (check.reason !== "used") return check;
    return (await isConfirmedAddress(app.db, check.userId, check.email)) ? { ok: false, reason: "already", userId: check.userId } : { ok: false, reason: "used" };
  }
  const [account] = await app.db
    .select({ email: users.email, createdAt: users.createdAt, takenBackAt: users.takenBackAt, firstName: customers.firstName, lastName: customers.lastName })
    .from(users)
    .leftJoin(customers, eq(customers.userId, users.id))
    .where(eq(users.id, check.userId));
  if (!account || account.email.toLowerCase() !== check.email.toLowerCase()) return { ok: false, reason: "changed" };
  return {
    ok: true,
    userId: check.userId,
    email: account.email,
    name: account.firstName ? `${account.firstName} ${account.lastName}` : null,
    registeredAt: account.createdAt,
    takenBack: !!account.takenBackAt,
  };
}

async function isConfirmedAddress(db: DbOrTx, userId: string, email: string) {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`${users.id} = ${userId} and lower(${users.email}) = lower(${email}) and ${users.emailVerifiedAt} is not null`);
  return !!row;
}

export type ConfirmResult =
  | { ok: true; userId: string; jobId: string | null; queued: boolean }
  /** Not this browser's account: sign in (and come back) first. Nothing changed. */
  | { ok: false; reason: "sign_in" }
  | { ok: false; reason: "limited"; retryAfterSeconds: number }
  | { ok: false; reason: "already" }
  /** A taken-back account: its owner checks the name and delivery address instead (nothing changed). */
  | { ok: false; reason: "check_details" }
  | Refusal;

class TakenBack extends Error {}

/** The Confirm button's POST: only the browser that registered the account, or one signed in to it, confirms. */
export async function confirmEmail(app: AppServices, token: string, actor: Actor): Promise<ConfirmResult> {
  const view = await viewVerifyLink(app, token);
  if (!view.ok) return view.reason === "already" ? { ok: false, reason: "already" } : view;
  const limited = await hitLimits(app.db, mailLinkLimitKeys(app, view.userId, actor.clientAddress));
  if (!limited.ok) return { ok: false, reason: "limited", retryAfterSeconds: limited.retryAfterSeconds };
  if (actor.signedInUserId !== view.userId && actor.registeredUserId !== view.userId) return { ok: false, reason: "sign_in" };
  if (view.takenBack) return { ok: false, reason: "check_details" };
  const outcome = await app.db.transaction(async (tx): Promise<{ ok: true; jobId: string | null } | Refusal | { ok: false; reason: "already" | "check_details" }> => {
    const used = await consumeToken(tx, token, "verify_email");
    if (!used.ok) return used.reason === "used" && (await isConfirmedAddress(tx, used.userId, used.email)) ? { ok: false, reason: "already" } : { ok: false, reason: used.reason };
    const jobId = await markVerified(tx, used.userId, used.email, "link");
    if (jobId === "check_details") throw new TakenBack();
    return jobId === false ? { ok: false, reason: "changed" } : { ok: true, jobId };
  }).catch((error) => {
    // Rolled back: the link stays usable for nothing else, the owner checks the details instead.
    if (error instanceof TakenBack) return { ok: false as const, reason: "check_details" as const };
    throw error;
  });
  if (!outcome.ok) return outcome;
  return { ok: true, userId: view.userId, jobId: outcome.jobId, queued: await queueConfirmedJob(app, outcome.jobId) };
}

export function mailLinkLimitKeys(app: AppServices, userId: string, clientAddress: string | null) {
  return limitKeys("mail-link", {
    account: { id: userId, limit: LIMITS.mailLink.account },
    ip: { id: clientAddress, limit: perAddress(LIMITS.mailLink.ip, app.env.RATE_LIMIT_ADDRESS_FACTOR) },
  });
}

/**
 * The address `email` of `userId` is proven: mark it (only while it is still the account's address), make
 * the customer's job due, write the timeline. Returns the job to send after the commit, or false when the
 * account no longer has that address (the proof is about an address it gave up).
 */
export async function markVerified(
  tx: DbOrTx,
  userId: string,
  email: string,
  how: "link" | "code" | "details_check" | "email_change",
): Promise<string | null | false | "check_details"> {
  // A taken-back account is confirmed by its owner checking the details, never by a link or code alone.
  const byMail = how === "link" || how === "code";
  const [user] = await tx
    .update(users)
    .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())`, removeUnverifiedAfter: null, takenBackAt: null })
    .where(sql`${users.id} = ${userId} and lower(${users.email}) = lower(${email}) ${byMail ? sql`and ${users.takenBackAt} is null` : sql``}`)
    .returning({ id: users.id });
  if (!user) {
    if (!byMail) return false;
    const [held] = await tx.select({ id: users.id }).from(users).where(sql`${users.id} = ${userId} and ${users.takenBackAt} is not null`);
    return held ? "check_details" : false;
  }
  if (how === "link" || how === "code") await recordAccountEvent(tx, userId, ACCOUNT_EVENTS.emailConfirmed, { details: { how } });
  return makeUserJobDue(tx, userId);
}

/** Sent now, so the confirmation is followed by `synced` in seconds; a lost send only delays the job until the sweep. */
export async function queueConfirmedJob(app: AppServices, jobId: string | null) {
  return jobId ? sendJobs(app, [jobId], "email verified") : false;
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
  const [user] = await app.db.select({ email: users.email, verifiedAt: users.emailVerifiedAt, takenBackAt: users.takenBackAt }).from(users).where(eq(users.id, userId));
  // A taken-back account confirms by checking its details, not by mail.
  if (!user || user.verifiedAt || user.takenBackAt) return { ok: true, sent: false };
  await sendSoon(app, app.db, [{ kind: "verify_email", userId, to: user.email }]);
  return { ok: true, sent: true };
}

export type VerificationState =
  | { verified: true }
  | { verified: false; email: string; removeAfter: Date | null; mailProblem: boolean; takenBack: boolean };

/** What the account page tells an unverified customer (and whether their confirmation mail is stuck). */
export async function verificationState(app: AppServices, userId: string): Promise<VerificationState> {
  const [user] = await app.db
    .select({ email: users.email, verifiedAt: users.emailVerifiedAt, removeAfter: users.removeUnverifiedAfter, takenBackAt: users.takenBackAt })
    .from(users)
    .where(eq(users.id, userId));
  if (!user || user.verifiedAt) return { verified: true };
  const waiting = await pendingMailFor(app.db, userId, "verify_email");
  return { verified: false, email: user.email, removeAfter: user.removeAfter, mailProblem: waiting.some((m) => m.lastError), takenBack: !!user.takenBackAt };
}
