// Changing the account's email address (issue 19, item 3). The new address gets a confirmation (link and
// code), the current one a notice with an undo that works for 7 days. Until the new address is confirmed,
// sign-in and password reset keep using the current one (users.email); confirming needs the browser signed
// in to the account. Whether the new address already has an account is never said on screen: its owner
// gets a mail instead, and the request looks the same either way. A confirmed change re-vets the Zoho link
// against the new address (app/sync/email-revet.server.ts).
import { eq, sql } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import type { DbOrTx } from "~/db/client.server";
import { customers, sessions, users } from "~/db/schema";
import { checkToken, consumeToken, revokeTokens } from "~/email/link-tokens.server";
import { verifyPassword } from "~/auth/password.server";
import { hitLimits, LIMITS, limitKeys, perAddress } from "~/auth/rate-limit.server";
import { mailLinkLimitKeys, queueConfirmedJob, type Actor } from "~/auth/verification.server";
import { sendSoon } from "~/email/outbox.server";
import { makeUserJobDue } from "~/sync/jobs/due.server";
import { revetLinkAfterEmailChange } from "~/sync/email-revet.server";
import { passwordCheckLimitKeys } from "./account-closure.server";
import { ACCOUNT_EVENTS, recordAccountEvent } from "~/sync/account-timeline.server";

export const UNDO_WINDOW_MS = 7 * 24 * 60 * 60_000;

/** Whether an address is in use: an account's, a customer record's, or one reserved by an open undo. */
export async function addressInUse(db: DbOrTx, email: string, exceptUserId?: string): Promise<{ inUse: boolean; ownerUserId: string | null }> {
  const result = await db.execute(sql`
    select id as user_id from users where lower(email) = lower(${email}) ${exceptUserId ? sql`and id <> ${exceptUserId}::uuid` : sql``}
    union all select null from users where lower(previous_email) = lower(${email}) and previous_email_until > now() ${exceptUserId ? sql`and id <> ${exceptUserId}::uuid` : sql``}
    union all select user_id from customers where lower(email) = lower(${email}) ${exceptUserId ? sql`and user_id is distinct from ${exceptUserId}::uuid` : sql``}
    limit 1`);
  const row = result.rows[0] as { user_id: string | null } | undefined;
  return { inUse: !!row, ownerUserId: row?.user_id ?? null };
}

export type RequestResult =
  | { ok: true }
  | { ok: false; reason: "password" | "same" | "check_details" }
  | { ok: false; reason: "limited"; retryAfterSeconds: number };

export async function requestEmailChange(app: AppServices, userId: string, input: { newEmail: string; password: string }, clientAddress: string | null): Promise<RequestResult> {
  const newEmail = input.newEmail.trim().toLowerCase();
  const limits = LIMITS.emailChange;
  const limited = await hitLimits(app.db, [
    ...limitKeys("email-change", {
      account: { id: userId, limit: limits.account },
      email: { id: newEmail, limit: limits.email },
      ip: { id: clientAddress, limit: perAddress(limits.ip, app.env.RATE_LIMIT_ADDRESS_FACTOR) },
    }),
    ...passwordCheckLimitKeys(app, userId, clientAddress),
  ]);
  if (!limited.ok) return { ok: false, reason: "limited", retryAfterSeconds: limited.retryAfterSeconds };
  const [user] = await app.db.select().from(users).where(eq(users.id, userId));
  if (!user || !(await verifyPassword(input.password, user.passwordHash))) return { ok: false, reason: "password" };
  if (user.takenBackAt) return { ok: false, reason: "check_details" };
  if (newEmail === user.email.toLowerCase()) return { ok: false, reason: "same" };
  const taken = await addressInUse(app.db, newEmail, userId);
  await app.db.transaction(async (tx) => {
    await tx.update(users).set({ pendingEmail: newEmail, pendingEmailAt: new Date() }).where(eq(users.id, userId));
    await recordAccountEvent(tx, userId, ACCOUNT_EVENTS.emailChangeRequested);
    await sendSoon(app, tx, [
      // The owner of an address in use learns about the attempt; nobody can confirm it for this account.
      taken.inUse ? { kind: "account_exists", userId: taken.ownerUserId, to: newEmail } : { kind: "change_email", userId, to: newEmail },
      // The address in use now may undo the change (a proven address only: an unconfirmed one was never theirs).
      ...(user.emailVerifiedAt ? [{ kind: "email_change_notice" as const, userId, to: user.email }] : []),
    ]);
  });
  return { ok: true };
}

export type ChangeLinkView =
  | { ok: true; userId: string; newEmail: string; name: string | null; registeredAt: Date }
  | { ok: false; reason: "unknown" | "used" | "expired" | "changed" };

/** What the new address's confirmation page shows (a read: the page never changes anything). */
export async function viewChangeLink(app: AppServices, token: string): Promise<ChangeLinkView> {
  const check = token ? await checkToken(app.db, token, "change_email") : ({ ok: false, reason: "unknown" } as const);
  if (!check.ok) return { ok: false, reason: check.reason };
  const [account] = await app.db
    .select({ pendingEmail: users.pendingEmail, createdAt: users.createdAt, firstName: customers.firstName, lastName: customers.lastName })
    .from(users)
    .leftJoin(customers, eq(customers.userId, users.id))
    .where(eq(users.id, check.userId));
  if (!account || account.pendingEmail?.toLowerCase() !== check.email.toLowerCase()) return { ok: false, reason: "changed" };
  return { ok: true, userId: check.userId, newEmail: check.email, name: account.firstName ? `${account.firstName} ${account.lastName}` : null, registeredAt: account.createdAt };
}

export type ChangeResult =
  | { ok: true; userId: string }
  | { ok: false; reason: "sign_in" | "taken" | "unknown" | "used" | "expired" | "changed" }
  | { ok: false; reason: "limited"; retryAfterSeconds: number };

/** Confirm on the new address's page: only in a browser signed in to the account that asked. */
export async function confirmEmailChange(app: AppServices, token: string, actor: Actor): Promise<ChangeResult> {
  const view = await viewChangeLink(app, token);
  if (!view.ok) return view;
  const limited = await hitLimits(app.db, mailLinkLimitKeys(app, view.userId, actor.clientAddress));
  if (!limited.ok) return { ok: false, reason: "limited", retryAfterSeconds: limited.retryAfterSeconds };
  if (actor.signedInUserId !== view.userId) return { ok: false, reason: "sign_in" };
  const outcome = await app.db.transaction(async (tx) => {
    const used = await consumeToken(tx, token, "change_email");
    if (!used.ok) return { ok: false as const, reason: used.reason };
    return applyEmailChange(tx, used.userId, used.email);
  });
  if (!outcome.ok) return outcome;
  await queueConfirmedJob(app, outcome.jobId);
  return { ok: true, userId: view.userId };
}

/**
 * The new address is proven (link or code): it becomes the account's address, confirmed; the old one is kept
 * for the undo (when it had been confirmed); the Zoho link is re-vetted. Inside the caller's transaction.
 */
export async function applyEmailChange(tx: DbOrTx, userId: string, newEmail: string): Promise<{ ok: true; jobId: string | null } | { ok: false; reason: "changed" | "taken" }> {
  const [user] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
  if (!user || user.pendingEmail?.toLowerCase() !== newEmail.toLowerCase()) return { ok: false, reason: "changed" };
  if ((await addressInUse(tx, newEmail, userId)).inUse) {
    await tx.update(users).set({ pendingEmail: null, pendingEmailAt: null }).where(eq(users.id, userId));
    return { ok: false, reason: "taken" };
  }
  const now = new Date();
  const wasVerified = !!user.emailVerifiedAt;
  await tx
    .update(users)
    .set({
      email: newEmail,
      pendingEmail: null,
      pendingEmailAt: null,
      emailVerifiedAt: now,
      removeUnverifiedAfter: null,
      previousEmail: wasVerified ? user.email : null,
      previousEmailUntil: wasVerified ? new Date(now.getTime() + UNDO_WINDOW_MS) : null,
    })
    .where(eq(users.id, userId));
  await revokeTokens(tx, userId, ["verify_email", "change_email", "reset_password"], now);
  const [customer] = await tx.update(customers).set({ email: newEmail, updatedAt: now }).where(eq(customers.userId, userId)).returning({ id: customers.id });
  await recordAccountEvent(tx, userId, ACCOUNT_EVENTS.emailChanged);
  if (customer) await revetLinkAfterEmailChange(tx, customer.id, newEmail, userId);
  // An account confirmed for the first time by this change: its sync job may run now.
  return { ok: true, jobId: wasVerified ? null : await makeUserJobDue(tx, userId) };
}

export type CancelResult = { ok: true } | { ok: false; reason: "unknown" | "used" | "expired" | "changed" } | { ok: false; reason: "limited"; retryAfterSeconds: number };

/** "This wasn't me" on the new address's page: the request is dropped; nothing about the account changes. */
export async function refuseEmailChange(app: AppServices, token: string, clientAddress: string | null): Promise<CancelResult> {
  const view = await viewChangeLink(app, token);
  if (!view.ok) return view;
  const limited = await hitLimits(app.db, mailLinkLimitKeys(app, view.userId, clientAddress));
  if (!limited.ok) return { ok: false, reason: "limited", retryAfterSeconds: limited.retryAfterSeconds };
  return app.db.transaction(async (tx): Promise<CancelResult> => {
    const used = await consumeToken(tx, token, "change_email");
    if (!used.ok) return { ok: false, reason: used.reason };
    await cancelPending(tx, used.userId, "new_address");
    return { ok: true };
  });
}

/** The signed-in customer withdraws their own request. */
export async function cancelEmailChange(app: AppServices, userId: string) {
  await app.db.transaction((tx) => cancelPending(tx, userId, "customer"));
}

async function cancelPending(tx: DbOrTx, userId: string, by: "customer" | "new_address" | "old_address") {
  const [cleared] = await tx
    .update(users)
    .set({ pendingEmail: null, pendingEmailAt: null })
    .where(sql`${users.id} = ${userId} and ${users.pendingEmail} is not null`)
    .returning({ id: users.id });
  await revokeTokens(tx, userId, ["change_email"]);
  if (cleared) await recordAccountEvent(tx, userId, ACCOUNT_EVENTS.emailChangeCancelled, { details: { by }, actorUserId: by === "customer" ? userId : null });
  return !!cleared;
}

export type UndoView = { ok: true; userId: string; address: string; state: "pending" | "changed" } | { ok: false; reason: "unknown" | "used" | "expired" | "nothing" };

/** What the undo page (the old address's notice) shows. */
export async function viewUndoLink(app: AppServices, token: string, now = new Date()): Promise<UndoView> {
  const check = token ? await checkToken(app.db, token, "undo_email_change", now) : ({ ok: false, reason: "unknown" } as const);
  if (!check.ok) return { ok: false, reason: check.reason };
  const [user] = await app.db.select().from(users).where(eq(users.id, check.userId));
  const state = undoState(user, check.email, now);
  return state ? { ok: true, userId: check.userId, address: check.email, state } : { ok: false, reason: "nothing" };
}

function undoState(user: typeof users.$inferSelect | undefined, address: string, now: Date): "pending" | "changed" | null {
  if (!user) return null;
  const same = (a: string | null) => !!a && a.toLowerCase() === address.toLowerCase();
  if (same(user.email) && user.pendingEmail) return "pending";
  if (same(user.previousEmail) && user.previousEmailUntil && user.previousEmailUntil > now) return "changed";
  return null;
}

export type UndoResult = { ok: true; state: "pending" | "changed" } | { ok: false; reason: "unknown" | "used" | "expired" | "nothing" } | { ok: false; reason: "limited"; retryAfterSeconds: number };

/**
 * Undo from the old address (no sign-in: whoever changed it may hold the account now): a waiting change is
 * dropped, a confirmed one reverted to this address (confirmed again by this click). Everyone is signed out.
 */
export async function undoEmailChange(app: AppServices, token: string, clientAddress: string | null, now = new Date()): Promise<UndoResult> {
  const view = await viewUndoLink(app, token, now);
  if (!view.ok) return view;
  const limited = await hitLimits(app.db, mailLinkLimitKeys(app, view.userId, clientAddress));
  if (!limited.ok) return { ok: false, reason: "limited", retryAfterSeconds: limited.retryAfterSeconds };
  return app.db.transaction(async (tx): Promise<UndoResult> => {
    const used = await consumeToken(tx, token, "undo_email_change", now);
    if (!used.ok) return { ok: false, reason: used.reason };
    const [user] = await tx.select().from(users).where(eq(users.id, used.userId)).for("update");
    const state = undoState(user, used.email, now);
    if (!state) return { ok: false, reason: "nothing" };
    if (state === "pending") await cancelPending(tx, used.userId, "old_address");
    else {
      await tx
        .update(users)
        .set({ email: user!.previousEmail!, emailVerifiedAt: now, previousEmail: null, previousEmailUntil: null, pendingEmail: null, pendingEmailAt: null })
        .where(eq(users.id, used.userId));
      const [customer] = await tx.update(customers).set({ email: user!.previousEmail!, updatedAt: now }).where(eq(customers.userId, used.userId)).returning({ id: customers.id });
      await revokeTokens(tx, used.userId, ["change_email", "verify_email", "reset_password"], now);
      await recordAccountEvent(tx, used.userId, ACCOUNT_EVENTS.emailChangeUndone, { actorUserId: null });
      if (customer) await revetLinkAfterEmailChange(tx, customer.id, user!.previousEmail!, null);
    }
    // Whoever changed it may be signed in: nobody is, now.
    await tx.delete(sessions).where(eq(sessions.userId, used.userId));
    return { ok: true, state };
  });
}

/**
 * Hourly (with the sweep's housekeeping): an old address is forgotten once its undo window closed, and a new
 * address nobody confirmed within 7 days stops waiting (its link expired after 24 hours anyway).
 */
export async function expireEmailChanges(db: DbOrTx, now = new Date()) {
  const result = await db.execute(sql`
    with p as (update users set previous_email = null, previous_email_until = null
                 where previous_email_until < ${now.toISOString()}::timestamptz returning 1),
         n as (update users set pending_email = null, pending_email_at = null
                 where pending_email_at < ${new Date(now.getTime() - UNDO_WINDOW_MS).toISOString()}::timestamptz returning 1)
    select (select count(*) from p)::int as previous, (select count(*) from n)::int as pending`);
  return result.rows[0] as { previous: number; pending: number };
}
