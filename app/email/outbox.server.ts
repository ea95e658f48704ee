// The mail outbox: rows are written with what caused them (in the same transaction where there is
// one) and delivered after the response; whatever fails is retried by the hourly sweep with backoff,
// and rows that keep failing are counted on the admin dashboard.
import { and, eq, isNull, sql } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import type { DbOrTx } from "~/db/client.server";
import { emailOutbox, users, type EmailTokenPurpose, type MailKind } from "~/db/schema";
import { mintInvitationToken, mintToken } from "./link-tokens.server";
import { log } from "~/log.server";
import { connectMailer, describeSendError, MailNotConfigured, type Mailer } from "./mailer.server";
import { classifySendFailure } from "./refusal";
import { accountExistsMail, adminInvitationMail, changeEmailMail, emailChangeNoticeMail, resetPasswordMail, verifyEmailMail, type MailContent } from "./templates";

export const MAX_MAIL_ATTEMPTS = 8;
const BATCH = 20;

type NewMail =
  | { kind: "verify_email" | "reset_password" | "change_email" | "email_change_notice"; userId: string; to: string }
  /** The owner of an address that already has an account (or only a customer record: no user). */
  | { kind: "account_exists"; userId: string | null; to: string }
  | { kind: "alert"; to: string; content: MailContent }
  /** An owner's invitation to become an admin: its link is minted at send time (app/admin/invitations.server.ts). */
  | { kind: "admin_invitation"; invitationId: string; to: string };

export async function queueMail(db: DbOrTx, mails: NewMail[]): Promise<string[]> {
  if (mails.length === 0) return [];
  const rows = await db
    .insert(emailOutbox)
    .values(
      mails.map((m) => ({
        kind: m.kind as MailKind,
        toAddress: m.to,
        userId: m.kind === "alert" || m.kind === "admin_invitation" ? null : m.userId,
        invitationId: m.kind === "admin_invitation" ? m.invitationId : null,
        content: m.kind === "alert" ? m.content : null,
      })),
    )
    .returning({ id: emailOutbox.id });
  return rows.map((r) => r.id);
}

/** Queues mail and delivers it once the response has gone out (never delaying or failing the request). */
export async function sendSoon(app: AppServices, db: DbOrTx, mails: NewMail[]) {
  const ids = await queueMail(db, mails);
  if (ids.length) app.afterResponse(() => deliverMail(app, ids));
  return ids;
}

/** Retry after 1, 2, 4 … minutes, at most 6 hours. */
function retryDelayMs(attempts: number) {
  return Math.min(2 ** Math.max(0, attempts - 1) * 60_000, 6 * 60 * 60_000);
}

/**
 * Sends due outbox rows (only `ids` when given). A row is claimed by pushing its next attempt into
 * the future first, so two deliveries running at once never send the same row.
 */
export async function deliverMail(app: AppServices, ids?: string[], now = new Date()): Promise<{ sent: number; failed: number }> {
  const db = app.db;
  const claimed = await db.execute(sql`
    update email_outbox o set attempts = o.attempts + 1, next_attempt_at = ${now.toISOString()}::timestamptz + (interval '1 millisecond' * least(power(2, o.attempts) * 60000, 21600000))
    where o.id in (
      select id from email_outbox where sent_at is null and refused_at is null and next_attempt_at <= ${now.toISOString()}::timestamptz and attempts < ${MAX_MAIL_ATTEMPTS}
      ${ids ? sql`and id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})` : sql``}
      order by created_at limit ${BATCH} for update skip locked)
    returning o.id, o.kind, o.user_id, o.invitation_id, o.to_address, o.content, o.attempts`);
  const rows = claimed.rows as Array<{ id: string; kind: MailKind; user_id: string | null; invitation_id: string | null; to_address: string; content: MailContent | null; attempts: number }>;
  if (rows.length === 0) return { sent: 0, failed: 0 };
  let mailer: Mailer | undefined;
  let sent = 0;
  let failed = 0;
  try {
    for (const row of rows) {
      try {
        const content = await contentFor(app, row);
        if (!content) {
          await db.update(emailOutbox).set({ sentAt: now, lastError: "not needed any more" }).where(eq(emailOutbox.id, row.id));
          continue;
        }
        mailer ??= await connectMailer(app.env);
        await mailer.send(row.to_address, content);
        await db.update(emailOutbox).set({ sentAt: new Date(), lastError: null }).where(eq(emailOutbox.id, row.id));
        sent++;
      } catch (error) {
        failed++;
        const reason = error instanceof MailNotConfigured ? error.message : describeSendError(error);
        const failure = classifySendFailure(reason);
        if (failure.kind === "address_refused") {
          // A permanent refusal of this address: retrying cannot help; the account page tells its owner.
          await db.update(emailOutbox).set({ lastError: `${REFUSED_PREFIX}${failure.reply}`, refusedAt: new Date() }).where(eq(emailOutbox.id, row.id));
          log("warn", "mail refused for good by the relay; not retried", { mailId: row.id, kind: row.kind, error: failure.reply });
          continue;
        }
        await db.update(emailOutbox).set({ lastError: reason }).where(eq(emailOutbox.id, row.id));
        // The address is personal data: the log names the row and the kind, not the recipient.
        log("warn", "mail not sent; it will be retried", { mailId: row.id, kind: row.kind, attempt: Number(row.attempts), retryInMs: retryDelayMs(Number(row.attempts)), error: reason });
        if (error instanceof MailNotConfigured) break;
      }
    }
  } finally {
    await mailer?.close().catch(() => {});
  }
  return { sent, failed };
}

/**
 * Renders a mail at send time; links (and codes) get a fresh token here, so the outbox never holds one.
 * A mail whose reason has passed (the address got confirmed, the change was confirmed or cancelled) is not sent.
 */
async function contentFor(
  app: AppServices,
  row: { kind: MailKind; user_id: string | null; invitation_id: string | null; to_address: string; content: MailContent | null },
): Promise<MailContent | null> {
  if (row.kind === "alert") return row.content;
  if (row.kind === "admin_invitation") {
    // Not sent once the invitation was accepted, revoked or has expired.
    const minted = row.invitation_id ? await mintInvitationToken(app.db, row.invitation_id) : null;
    return minted && adminInvitationMail({ appUrl: app.env.APP_URL, token: minted.token, role: minted.role, expiresAt: minted.expiresAt });
  }
  if (row.kind === "account_exists" && !row.user_id) return accountExistsMail({ appUrl: app.env.APP_URL, account: "none" });
  if (!row.user_id) return null;
  const [user] = await app.db
    .select({
      email: users.email,
      verifiedAt: users.emailVerifiedAt,
      createdAt: users.createdAt,
      pendingEmail: users.pendingEmail,
      previousEmail: users.previousEmail,
      takenBackAt: users.takenBackAt,
    })
    .from(users)
    .where(eq(users.id, row.user_id));
  if (!user) return null;
  const mint = (purpose: EmailTokenPurpose, email: string) => mintToken(app.db, row.user_id!, purpose, email, { codeSecret: app.env.SESSION_SECRET });
  const appUrl = app.env.APP_URL;
  const sameAddress = (a: string | null) => !!a && a.toLowerCase() === row.to_address.toLowerCase();
  switch (row.kind) {
    case "verify_email": {
      // A taken-back account is confirmed by its owner checking the details, not by a link.
      if (user.verifiedAt || user.takenBackAt || !sameAddress(user.email)) return null;
      const { token, code } = await mint("verify_email", user.email);
      return verifyEmailMail({ appUrl, token, code: code!, registeredAt: user.createdAt });
    }
    case "reset_password": {
      const { token } = await mint("reset_password", user.email);
      return resetPasswordMail({ appUrl, token });
    }
    case "account_exists": {
      if (!sameAddress(user.email)) return accountExistsMail({ appUrl, account: "none" });
      if (user.verifiedAt || user.takenBackAt) return accountExistsMail({ appUrl, account: "confirmed" });
      const { token, code } = await mint("verify_email", user.email);
      return accountExistsMail({ appUrl, account: "unconfirmed", registeredAt: user.createdAt, token, code: code! });
    }
    case "change_email": {
      if (!sameAddress(user.pendingEmail)) return null;
      const { token, code } = await mint("change_email", user.pendingEmail!);
      return changeEmailMail({ appUrl, token, code: code! });
    }
    case "email_change_notice": {
      // The undo goes to the address the account had (still has, while the change waits for confirmation).
      const newAddress = user.pendingEmail ?? (sameAddress(user.previousEmail) ? user.email : null);
      if (!newAddress) return null;
      const { token } = await mint("undo_email_change", row.to_address);
      return emailChangeNoticeMail({ appUrl, token, newAddressHint: maskAddress(newAddress) });
    }
  }
}

/** "m•••@example.com": enough for the old address's owner to recognise (or not) the new one. */
export function maskAddress(email: string) {
  const [local, domain] = email.split("@");
  return `${local.slice(0, 1)}•••@${domain ?? ""}`;
}

/** Mail that could not be sent yet (for the admin dashboard): failing now, and given up (after 8 tries, or refused). */
export async function undeliveredMail(db: DbOrTx) {
  const result = await db.execute(sql`
    select count(*) filter (where attempts < ${MAX_MAIL_ATTEMPTS} and refused_at is null)::int as retrying,
           count(*) filter (where attempts >= ${MAX_MAIL_ATTEMPTS} or refused_at is not null)::int as given_up
    from email_outbox where sent_at is null and last_error is not null`);
  const row = result.rows[0] as { retrying: number; given_up: number };
  return { retrying: Number(row.retrying), givenUp: Number(row.given_up) };
}

/** Unsent mail rows for a user (the account page says when a confirmation mail is on its way). */
export async function pendingMailFor(db: DbOrTx, userId: string, kind: MailKind) {
  const rows = await db
    .select({ id: emailOutbox.id, lastError: emailOutbox.lastError })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.userId, userId), eq(emailOutbox.kind, kind), isNull(emailOutbox.sentAt)));
  return rows;
}

const REFUSED_PREFIX = "The receiving mail server refused this address: ";

/**
 * The addresses of this account that a relay refused for good (SMTP 5xx to RCPT TO), with the relay's reply:
 * an address counts as refused until a later mail to it is delivered.
 */
export async function refusedAddresses(db: DbOrTx, userId: string): Promise<Array<{ address: string; reply: string; at: Date }>> {
  const result = await db.execute(sql`
    select distinct on (lower(r.to_address)) r.to_address as address, r.last_error as reply, r.refused_at as at
    from email_outbox r
    where r.user_id = ${userId}::uuid and r.refused_at is not null
      and not exists (select 1 from email_outbox s where s.user_id = r.user_id and lower(s.to_address) = lower(r.to_address)
                      and s.sent_at is not null and s.sent_at > r.refused_at)
    order by lower(r.to_address), r.refused_at desc`);
  return (result.rows as Array<{ address: string; reply: string; at: string | Date }>).map((r) => ({
    address: r.address,
    reply: r.reply.startsWith(REFUSED_PREFIX) ? r.reply.slice(REFUSED_PREFIX.length) : r.reply,
    at: new Date(r.at),
  }));
}
