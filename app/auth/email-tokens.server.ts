// Single-use links sent by email. The mail carries 32 random bytes; the database keeps only their
// SHA-256, so neither a leaked backup nor a log line of the table hands out a working link.
import { and, eq, sql } from "drizzle-orm";
import { randomBase64Url } from "~/common/base64";
import type { DbOrTx } from "~/db/client.server";
import { emailTokens, type EmailTokenPurpose } from "~/db/schema";

export const TOKEN_TTL_MS: Record<EmailTokenPurpose, number> = {
  verify_email: 24 * 60 * 60_000,
  reset_password: 60 * 60_000,
};

export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

const randomToken = () => randomBase64Url(32);

/** A new link for `userId`; earlier unused links of the same purpose stop working (the newest mail wins). */
export async function mintToken(db: DbOrTx, userId: string, purpose: EmailTokenPurpose, email: string, now = new Date()) {
  const token = randomToken();
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
  });
  return token;
}

export type TokenCheck =
  | { ok: true; userId: string; email: string }
  | { ok: false; reason: "unknown" | "expired" }
  | { ok: false; reason: "used"; userId: string; email: string };

/** Whether a link would work, without using it up (the reset form shows only for a working link). */
export async function checkToken(db: DbOrTx, token: string, purpose: EmailTokenPurpose, now = new Date()): Promise<TokenCheck> {
  const [row] = await db
    .select()
    .from(emailTokens)
    .where(and(eq(emailTokens.tokenHash, await hashToken(token)), eq(emailTokens.purpose, purpose)));
  if (!row) return { ok: false, reason: "unknown" };
  if (row.usedAt) return { ok: false, reason: "used", userId: row.userId, email: row.email };
  if (row.expiresAt <= now) return { ok: false, reason: "expired" };
  return { ok: true, userId: row.userId, email: row.email };
}

/** Uses the link up in one statement: of two concurrent clicks exactly one gets `ok`. */
export async function consumeToken(db: DbOrTx, token: string, purpose: EmailTokenPurpose, now = new Date()): Promise<TokenCheck> {
  const hash = await hashToken(token);
  const [used] = await db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.tokenHash, hash), eq(emailTokens.purpose, purpose), sql`${emailTokens.usedAt} is null`, sql`${emailTokens.expiresAt} > ${now.toISOString()}::timestamptz`))
    .returning({ userId: emailTokens.userId, email: emailTokens.email });
  if (used) return { ok: true, ...used };
  return checkToken(db, token, purpose, now);
}
