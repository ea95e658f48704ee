// Sign-in throttling that a stranger cannot turn against an account's owner (docs/decisions/024).
// Failed sign-ins are counted in fixed windows, three ways:
//   pair     one client address guessing one account's password → that address waits (429)
//   address  one client address guessing many accounts           → that address waits (429)
//   account  many addresses guessing one account                 → the right password alone is no longer
//            enough: the person proves it is them through the emailed reset link. Nobody waits.
// The owner, from any other address, is never refused; after the emailed link, sign-in works at once.
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db/client.server";
import { countInWindow } from "./rate-limit.server";

export type Window = { max: number; windowMs: number };
const MINUTE = 60_000;

export const SIGN_IN_LIMITS = {
  pair: { max: 5, windowMs: 15 * MINUTE },
  address: { max: 30, windowMs: 15 * MINUTE },
  account: { max: 10, windowMs: 15 * MINUTE },
} satisfies Record<string, Window>;

export type Count = { failures: number; windowStartedAt: Date };
export type Counts = { pair: Count | null; address: Count | null; account: Count | null };
export type SignInGate = { kind: "open" } | { kind: "wait"; retryAfterSeconds: number } | { kind: "prove" };

/** Pure: what the failures counted so far allow the next attempt (limits already scaled per address). */
export function signInGate(counts: Counts, limits: Record<keyof Counts, Window>, now: Date): SignInGate {
  const over = (name: keyof Counts) => {
    const c = counts[name];
    const endsAt = c ? c.windowStartedAt.getTime() + limits[name].windowMs : 0;
    return c && endsAt > now.getTime() && c.failures >= limits[name].max ? endsAt : null;
  };
  const waitUntil = Math.max(over("pair") ?? 0, over("address") ?? 0);
  if (waitUntil) return { kind: "wait", retryAfterSeconds: Math.max(1, Math.ceil((waitUntil - now.getTime()) / 1000)) };
  return over("account") ? { kind: "prove" } : { kind: "open" };
}

/**
 * Second-factor codes (issue 23): only someone who knew the password gets to type one, so every key waits
 * when over, the account's too (10 wrong codes in 15 minutes from anywhere).
 */
export const FACTOR_LIMITS = {
  pair: { max: 5, windowMs: 15 * MINUTE },
  address: { max: 30, windowMs: 15 * MINUTE },
  account: { max: 10, windowMs: 15 * MINUTE },
} satisfies Record<string, Window>;

/** Pure: how long the next factor code must wait (0: it may be tried now). */
export function factorWaitSeconds(counts: Counts, limits: Record<keyof Counts, Window>, now: Date): number {
  let until = 0;
  for (const name of ["pair", "address", "account"] as const) {
    const c = counts[name];
    const endsAt = c ? c.windowStartedAt.getTime() + limits[name].windowMs : 0;
    if (c && endsAt > now.getTime() && c.failures >= limits[name].max) until = Math.max(until, endsAt);
  }
  return until ? Math.max(1, Math.ceil((until - now.getTime()) / 1000)) : 0;
}

export function factorKeys(userId: string, clientAddress: string | null): Record<keyof Counts, string | null> {
  return {
    pair: clientAddress ? `factor:pair:${userId}|${clientAddress}` : null,
    address: clientAddress ? `factor:address:${clientAddress}` : null,
    account: `factor:account:${userId}`,
  };
}

/** The auth_throttle keys of one sign-in attempt (the client address is unknown only outside Cloudflare). */
export function signInKeys(email: string, clientAddress: string | null): Record<keyof Counts, string | null> {
  const account = email.trim().toLowerCase();
  return {
    pair: clientAddress ? `signin:pair:${account}|${clientAddress}` : null,
    address: clientAddress ? `signin:address:${clientAddress}` : null,
    account: `signin:account:${account}`,
  };
}

export async function readCounts(db: DbOrTx, keys: Record<keyof Counts, string | null>): Promise<Counts> {
  const wanted = Object.values(keys).filter((k): k is string => !!k);
  const result = await db.execute(sql`select key, failures, window_started_at from auth_throttle where key in (${sql.join(wanted.map((k) => sql`${k}`), sql`, `)})`);
  const rows = result.rows as Array<{ key: string; failures: number; window_started_at: string | Date }>;
  const find = (key: string | null): Count | null => {
    const row = key ? rows.find((r) => r.key === key) : undefined;
    return row ? { failures: Number(row.failures), windowStartedAt: new Date(row.window_started_at) } : null;
  };
  return { pair: find(keys.pair), address: find(keys.address), account: find(keys.account) };
}

/** Counts one failure against every key, starting a new window where the last one is over. */
export async function recordFailure(db: DbOrTx, keys: Record<keyof Counts, string | null>, limits: Record<keyof Counts, Window>, now = new Date()) {
  for (const name of ["pair", "address", "account"] as const) {
    const key = keys[name];
    if (key) await countInWindow(db, key, limits[name].windowMs, now);
  }
}

/** A successful sign-in forgets this address's own mistakes (not the account's: a stranger's keep counting). */
export async function clearPair(db: DbOrTx, keys: Record<keyof Counts, string | null>) {
  if (keys.pair) await db.execute(sql`delete from auth_throttle where key = ${keys.pair}`);
}

/** The emailed link proved the person: the account's count starts again. */
export async function clearAccountFailures(db: DbOrTx, email: string) {
  await db.execute(sql`delete from auth_throttle where key = ${signInKeys(email, null).account}`);
}
