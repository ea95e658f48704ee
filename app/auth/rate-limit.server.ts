// Abuse limits for the public forms (registration, resending the verification mail, password reset),
// counted exactly in Postgres (see docs/decisions/017-abuse-limits-in-postgres.md). Every attempt counts, per
// client address and per email, in a fixed window; over the limit the answer says when to try again.
import { data, type HeadersFunction } from "@remix-run/cloudflare";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db/client.server";

export type Limit = { max: number; windowMs: number };
const MINUTE = 60_000;

export const LIMITS = {
  register: { ip: { max: 10, windowMs: 60 * MINUTE }, email: { max: 5, windowMs: 60 * MINUTE } },
  // "Send it again": a mail every minute at most, and 5 an hour, per account; 20 an hour per address.
  resendVerification: { account: { max: 1, windowMs: MINUTE }, accountHourly: { max: 5, windowMs: 60 * MINUTE }, ip: { max: 20, windowMs: 60 * MINUTE } },
  passwordReset: { ip: { max: 10, windowMs: 60 * MINUTE }, email: { max: 3, windowMs: 60 * MINUTE } },
  // Mail links and codes (issue 19; README "Throttles"). Confirm and "this wasn't me" POSTs, per account asked about and per address.
  mailLink: { account: { max: 10, windowMs: 60 * MINUTE }, ip: { max: 60, windowMs: 60 * MINUTE } },
  // Typed codes: 5 tries per code on top of these.
  code: { account: { max: 10, windowMs: 60 * MINUTE }, ip: { max: 30, windowMs: 60 * MINUTE } },
  // Asking for a new address: mails go to an address someone typed, so per account, per new address and per client.
  emailChange: { account: { max: 5, windowMs: 60 * MINUTE }, email: { max: 3, windowMs: 60 * MINUTE }, ip: { max: 20, windowMs: 60 * MINUTE } },
  // Typing the password again (email change, deletion): a guessing ground otherwise.
  passwordCheck: { account: { max: 5, windowMs: 15 * MINUTE }, ip: { max: 30, windowMs: 60 * MINUTE } },
  // An owner's invitations (mail to an address someone typed): per inviting owner, and per invited address a day.
  adminInvitation: { account: { max: 10, windowMs: 60 * MINUTE }, email: { max: 3, windowMs: 24 * 60 * MINUTE } },
} satisfies Record<string, Record<string, Limit>>;

/**
 * A per-client-address limit scaled by RATE_LIMIT_ADDRESS_FACTOR: many real customers can share one
 * address (mobile carriers' NAT), and local load tests send everything from 127.0.0.1.
 */
export function perAddress(limit: Limit, factor: number): Limit {
  return { max: limit.max * factor, windowMs: limit.windowMs };
}

export type LimitVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Counts one attempt against every key and refuses when any is over its limit. Keys share the
 * auth_throttle table (prefix `limit:`), which housekeeping trims.
 */
export async function hitLimits(db: DbOrTx, keys: Array<{ key: string; limit: Limit }>, now = new Date()): Promise<LimitVerdict> {
  let wait = 0;
  for (const { key, limit } of keys) {
    const counted = await countInWindow(db, `limit:${key}`, limit.windowMs, now);
    if (counted.count > limit.max) {
      const endsAt = counted.windowStartedAt.getTime() + limit.windowMs;
      wait = Math.max(wait, Math.ceil((endsAt - now.getTime()) / 1000));
    }
  }
  return wait > 0 ? { ok: false, retryAfterSeconds: Math.max(1, wait) } : { ok: true };
}

/**
 * One more in `key`'s fixed window of auth_throttle (a new window once the last one is over), atomically:
 * the abuse limits count attempts with it, sign-in throttling counts failures.
 */
export async function countInWindow(db: DbOrTx, key: string, windowMs: number, now = new Date()): Promise<{ count: number; windowStartedAt: Date }> {
  const windowStart = new Date(now.getTime() - windowMs).toISOString();
  const result = await db.execute(sql`
    insert into auth_throttle (key, failures, window_started_at) values (${key}, 1, ${now.toISOString()}::timestamptz)
    on conflict (key) do update set
      failures = case when auth_throttle.window_started_at <= ${windowStart}::timestamptz then 1 else auth_throttle.failures + 1 end,
      window_started_at = case when auth_throttle.window_started_at <= ${windowStart}::timestamptz then excluded.window_started_at else auth_throttle.window_started_at end
    returning failures, window_started_at`);
  const row = result.rows[0] as { failures: number; window_started_at: string | Date };
  return { count: Number(row.failures), windowStartedAt: new Date(row.window_started_at) };
}

/** "in 3 minutes", "in 45 seconds": the wait as a person reads it. */
export function waitInWords(seconds: number): string {
  if (seconds < 60) return `in ${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `in ${minutes} minute${minutes === 1 ? "" : "s"}`;
}

export function clientAddress(request: Request): string | null {
  return request.headers.get("CF-Connecting-IP");
}

/** The keys for one attempt: per client address (when known) and per normalised email or account. */
export function limitKeys(action: string, parts: Record<string, { id: string | null; limit: Limit }>) {
  return Object.entries(parts)
    .filter(([, p]) => p.id)
    .map(([name, p]) => ({ key: `${action}:${name}:${p.id!.trim().toLowerCase()}`, limit: p.limit }));
}

/**
 * Route `headers` export for pages whose action may answer 429: Remix builds a page's headers from
 * the routes' `headers` functions only, so without this the Retry-After of the action would be lost.
 */
export const keepRetryAfter: HeadersFunction = ({ actionHeaders, parentHeaders, errorHeaders }) => {
  const headers = new Headers(parentHeaders);
  // A thrown answer's headers reach the boundary's route as errorHeaders (the admin console's re-auth step).
  const retryAfter = actionHeaders.get("Retry-After") ?? errorHeaders?.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

/** A form's answer over a limit: 429, Retry-After, and the wait in words ("Too many attempts. Please try again in 3 minutes."). */
export function tooManyAttempts(retryAfterSeconds: number, what = "Too many attempts") {
  return data(
    { formErrors: [`${what}. Please try again ${waitInWords(retryAfterSeconds)}.`] },
    { status: 429, headers: { "Retry-After": String(retryAfterSeconds) } },
  );
}
