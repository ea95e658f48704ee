// Single-use links sent by email. The mail carries 32 random bytes; the database keeps only their
// SHA-256, so neither a leaked backup nor a log line of the table hands out a working link. Confirmation
// mails (verify the address, confirm a new one) also carry an 8-character code for mail clients that
// break links: valid 15 minutes, 5 tries, kept as an HMAC (keyed with SESSION_SECRET: 40 bits would not
// survive an offline guess against a plain hash). A link and its code are one row: using either uses both.
import { and, eq, inArray, sql } from "drizzle-orm";
import { randomBase64Url } from "~/common/base64";
import type { DbOrTx } from "~/db/client.server";
import { adminInvitations, emailTokens, type AdminRole, type EmailTokenPurpose } from "~/db/schema";
import { CODE_LENGTH } from "~/common/mail-code";

export { CODE_LENGTH };

export const TOKEN_TTL_MS: Record<EmailTokenPurpose, number> = {
  verify_email: 24 * 60 * 60_000,
  reset_password: 60 * 60_000,
  change_email: 24 * 60 * 60_000,
  undo_email_change: 7 * 24 * 60 * 60_000,
};

/** Purposes whose mail also carries a code (typed on the signed-in account page). */
export const CODE_PURPOSES = ["verify_email", "change_email"] as const satisfies readonly EmailTokenPurpose[];
export type CodePurpose = (typeof CODE_PURPOSES)[number];
export const CODE_TTL_MS = 15 * 60_000;
export const CODE_TRIES = 5;
// No 0/O, 1/I/L or U: nothing a person can misread; lower case is accepted.
const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789";

export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return hex(digest);
}

function hex(buffer: ArrayBuffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function hashCode(secret: string, userId: string, purpose: CodePurpose, code: string) {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return hex(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${purpose}:${userId}:${code}`)));
}

const randomToken = () => randomBase64Url(32);

/** 8 characters drawn uniformly from the alphabet (rejection sampling: no bias toward its first letters). */
export function randomCode(): string {
  const limit = 256 - (256 % CODE_ALPHABET.length);
  let code = "";
  while (code.length < CODE_LENGTH) {
    for (const b of crypto.getRandomValues(new Uint8Array(16))) {
      if (b < limit && code.length < CODE_LENGTH) code += CODE_ALPHABET[b % CODE_ALPHABET.length];
    }
  }
  return code;
}

/** What a person typed, as the code is hashed: capitals, without the spaces or dashes people add. */
export function normaliseCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, "");
}

const isCodePurpose = (p: EmailTokenPurpose): p is CodePurpose => (CODE_PURPOSES as readonly string[]).includes(p);

/**
 * A new link (and, for confirmations, a code) for `userId`; earlier unused links of the same purpose stop
 * working (the newest mail wins).
 */
export async function mintToken(
  db: DbOrTx,
  userId: string,
  purpose: EmailTokenPurpose,
  email: string,
  opts: { codeSecret: string; now?: Date },
): Promise<{ token: string; code: string | null }> {
  const now = opts.now ?? new Date();
  const token = randomToken();
  const code = isCodePurpose(purpose) ? randomCode() : null;
  await db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), sql`${emailTokens.usedAt} is null`));
  await db.insert(emailTokens).values({
    tokenHash: await hashToken(token),
    userId,
    purpose,
    email,
    expiresAt: new Date(now.getTime() + TOKEN_TTL_MS[purpose]),
    codeHash: code && isCodePurpose(purpose) ? await hashCode(opts.codeSecret, userId, purpose, code) : null,
    codeExpiresAt: code ? new Date(now.getTime() + CODE_TTL_MS) : null,
  });
  return { token, code };
}

export type TokenCheck =
  | { ok: true; userId: string; email: string; createdAt: Date }
  | { ok: false; reason: "unknown" | "expired" }
  | { ok: false; reason: "used"; userId: string; email: string };

/** Whether a link would work, without using it up: what a link's page (a GET) may do. */
export async function checkToken(db: DbOrTx, token: string, purpose: EmailTokenPurpose, now = new Date()): Promise<TokenCheck> {
  const [row] = await db
    .select()
    .from(emailTokens)
    .where(and(eq(emailTokens.tokenHash, await hashToken(token)), eq(emailTokens.purpose, purpose)));
  if (!row) return { ok: false, reason: "unknown" };
  if (row.usedAt) return { ok: false, reason: "used", userId: row.userId, email: row.email };
  if (row.expiresAt <= now) return { ok: false, reason: "expired" };
  return { ok: true, userId: row.userId, email: row.email, createdAt: row.createdAt };
}

/** Uses the link up in one statement: of two concurrent clicks exactly one gets `ok`. */
export async function consumeToken(db: DbOrTx, token: string, purpose: EmailTokenPurpose, now = new Date()): Promise<TokenCheck> {
  const hash = await hashToken(token);
  const [used] = await db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.tokenHash, hash), eq(emailTokens.purpose, purpose), sql`${emailTokens.usedAt} is null`, sql`${emailTokens.expiresAt} > ${now.toISOString()}::timestamptz`))
    .returning({ userId: emailTokens.userId, email: emailTokens.email, createdAt: emailTokens.createdAt });
  if (used) return { ok: true, ...used };
  return checkToken(db, token, purpose, now);
}

export type CodeCheck =
  | { ok: true; purpose: CodePurpose; userId: string; email: string }
  /** A live code exists and this was not it; `triesLeft` before it stops working. */
  | { ok: false; reason: "wrong"; triesLeft: number }
  /** No live code: none was sent, it expired (15 minutes), was used, or had its 5 tries. */
  | { ok: false; reason: "none" };

/**
 * Uses the account's code of any of `purposes` in one statement when `typed` is it; otherwise counts a try
 * against every live code of the account (a guess is a guess, whichever code it aimed at).
 */
export async function consumeCode(
  db: DbOrTx,
  codeSecret: string,
  userId: string,
  purposes: readonly CodePurpose[],
  typed: string,
  now = new Date(),
): Promise<CodeCheck> {
  const code = normaliseCode(typed);
  const nowIso = sql`${now.toISOString()}::timestamptz`;
  const live = sql`${emailTokens.userId} = ${userId} and ${emailTokens.usedAt} is null and ${emailTokens.expiresAt} > ${nowIso}
    and ${emailTokens.codeExpiresAt} > ${nowIso} and ${emailTokens.codeAttempts} < ${CODE_TRIES}`;
  const matches = await Promise.all(purposes.map(async (p) => sql`(${emailTokens.purpose} = ${p} and ${emailTokens.codeHash} = ${await hashCode(codeSecret, userId, p, code)})`));
  const [used] = await db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(sql`${live} and (${sql.join(matches, sql` or `)})`)
    .returning({ purpose: emailTokens.purpose, userId: emailTokens.userId, email: emailTokens.email });
  if (used) return { ok: true, purpose: used.purpose as CodePurpose, userId: used.userId, email: used.email };
  const counted = await db
    .update(emailTokens)
    .set({ codeAttempts: sql`${emailTokens.codeAttempts} + 1` })
    .where(and(sql`${live}`, inArray(emailTokens.purpose, [...purposes])))
    .returning({ attempts: emailTokens.codeAttempts });
  if (counted.length === 0) return { ok: false, reason: "none" };
  return { ok: false, reason: "wrong", triesLeft: Math.max(0, CODE_TRIES - Math.min(...counted.map((c) => c.attempts))) };
}

/** Every unused link of the account stops working (the account changed hands or is going away). */
export async function revokeTokens(db: DbOrTx, userId: string, purposes: readonly EmailTokenPurpose[], now = new Date()) {
  await db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.userId, userId), inArray(emailTokens.purpose, [...purposes]), sql`${emailTokens.usedAt} is null`));
}

/**
 * A fresh link for an open invitation (neither accepted, revoked nor expired), minted when its mail is sent: the
 * invitation keeps only the new link's hash, so an earlier mail's link stops working. Null when it is not open.
 */
export async function mintInvitationToken(
  db: DbOrTx,
  invitationId: string,
  now = new Date(),
): Promise<{ token: string; email: string; role: AdminRole; expiresAt: Date } | null> {
  const token = randomToken();
  const [row] = await db
    .update(adminInvitations)
    .set({ tokenHash: await hashToken(token) })
    .where(
      and(
        eq(adminInvitations.id, invitationId),
        sql`${adminInvitations.acceptedAt} is null and ${adminInvitations.revokedAt} is null and ${adminInvitations.expiresAt} > ${now.toISOString()}::timestamptz`,
      ),
    )
    .returning({ email: adminInvitations.email, role: adminInvitations.adminRole, expiresAt: adminInvitations.expiresAt });
  return row ? { token, ...row } : null;
}
