// The mail outbox: rows are written with what caused them (in the same transaction where there is
// one) and delivered after the response; whatever fails is retried by the hourly sweep with backoff,
// and rows that keep failing are counted on the admin dashboard.
import { and, eq, isNull, sql } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import type { DbOrTx } from "~/db/client.server";
import { customers, emailOutbox, users, type EmailTokenPurpose, type MailKind } from "~/db/schema";
import { log } from "~/log.server";
import { connectMailer, describeSendError, MailNotConfigured, type Mailer } from "./mailer.server";
import { resetPasswordMail, verifyEmailMail, type MailContent } from "./templates";

export const MAX_MAIL_ATTEMPTS = 8;
const BATCH = 20;

/**
 * Mints the single-use token a link mail carries (verify, reset). Auth owns the tokens
 * (app/auth/email-tokens.server.ts, `mintToken`) and sits above the outbox, so whoever delivers mail that
 * may hold links hands the minter in.
 */
export type MintLinkToken = (db: DbOrTx, userId: string, purpose: EmailTokenPurpose, email: string) => Promise<string>;

/** For senders of alerts only: a link mail never reaches it (sendSoon delivers only the rows it queued). */
const noLinkMails: MintLinkToken = async () => {
  throw new Error("this delivery was given no link-token minter");
};

type NewMail =
  | { kind: "verify_email" | "reset_password"; userId: string; to: string }
  | { kind: "alert"; to: string; content: MailContent };

export async function queueMail(db: DbOrTx, mails: NewMail[]): Promise<string[]> {
  if (mails.length === 0) return [];
  const rows = await db
    .insert(emailOutbox)
    .values(mails.map((m) => ({ kind: m.kind as MailKind, toAddress: m.to, userId: m.kind === "alert" ? null : m.userId, content: m.kind === "alert" ? m.content : null })))
    .returning({ id: emailOutbox.id });
  return rows.map((r) => r.id);
}

/**
 * Queues mail and delivers it once the response has gone out (never delaying or failing the request).
 * Link mails need `mintLink`; alerts do not.
 */
export async function sendSoon(app: AppServices, db: DbOrTx, mails: NewMail[], mintLink: MintLinkToken = noLinkMails) {
  const ids = await queueMail(db, mails);
  if (ids.length) app.afterResponse(() => deliverMail(app, mintLink, ids));
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
export async function deliverMail(app: AppServices, mintLink: MintLinkToken, ids?: string[], now = new Date()): Promise<{ sent: number; failed: number }> {
  const db = app.db;
  const claimed = await db.execute(sql`
    update email_outbox o set attempts = o.attempts + 1, next_attempt_at = ${now.toISOString()}::timestamptz + (interval '1 millisecond' * least(power(2, o.attempts) * 60000, 21600000))
    where o.id in (
      select id from email_outbox where sent_at is null and next_attempt_at <= ${now.toISOString()}::timestamptz and attempts < ${MAX_MAIL_ATTEMPTS}
      ${ids ? sql`and id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})` : sql``}
      order by created_at limit ${BATCH} for update skip locked)
    returning o.id, o.kind, o.user_id, o.to_address, o.content, o.attempts`);
  const rows = claimed.rows as Array<{ id: string; kind: MailKind; user_id: string | null; to_address: string; content: MailContent | null; attempts: number }>;
  if (rows.length === 0) return { sent: 0, failed: 0 };
  let mailer: Mailer | undefined;
  let sent = 0;
  let failed = 0;
  try {
    for (const row of rows) {
      try {
        const content = await contentFor(app, row, mintLink);
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

/** Renders a mail at send time; links get a fresh token here, so the outbox never holds one. */
async function contentFor(app: AppServices, row: { kind: MailKind; user_id: string | null; content: MailContent | null }, mintToken: MintLinkToken): Promise<MailContent | null> {
  if (row.kind === "alert") return row.content;
  if (!row.user_id) return null;
  const [user] = await app.db
    .select({ email: users.email, verifiedAt: users.emailVerifiedAt, firstName: customers.firstName })
    .from(users)
    .leftJoin(customers, eq(customers.userId, users.id))
    .where(eq(users.id, row.user_id));
  if (!user) return null;
  if (row.kind === "verify_email") {
    if (user.verifiedAt) return null;
    const token = await mintToken(app.db, row.user_id, "verify_email", user.email);
    return verifyEmailMail({ appUrl: app.env.APP_URL, token, firstName: user.firstName });
  }
  const token = await mintToken(app.db, row.user_id, "reset_password", user.email);
  return resetPasswordMail({ appUrl: app.env.APP_URL, token });
}

/** Mail that could not be sent yet (for the admin dashboard): failing now, and given up. */
export async function undeliveredMail(db: DbOrTx) {
  const result = await db.execute(sql`
    select count(*) filter (where attempts < ${MAX_MAIL_ATTEMPTS})::int as retrying,
           count(*) filter (where attempts >= ${MAX_MAIL_ATTEMPTS})::int as given_up
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

