import { eq, sql } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { authThrottle } from "~/db/schema";

// Sign-in throttling: after `max` failures within WINDOW, the key is locked for LOCK. An email locks
// after 5; a client address after 30 (many people can share one address behind a NAT).
export type ThrottleKey = { key: string; max: number };
const WINDOW_MS = 15 * 60 * 1000;
const LOCK_MS = 15 * 60 * 1000;

export async function lockedUntil(db: Db, keys: ThrottleKey[], now = new Date()): Promise<Date | null> {
  let latest: Date | null = null;
  for (const { key } of keys) {
    const [row] = await db.select().from(authThrottle).where(eq(authThrottle.key, key));
    if (row?.lockedUntil && row.lockedUntil > now && (!latest || row.lockedUntil > latest)) latest = row.lockedUntil;
  }
  return latest;
}

export async function recordFailure(db: Db, keys: ThrottleKey[], now = new Date()) {
  for (const { key, max } of keys) {
    const windowStart = new Date(now.getTime() - WINDOW_MS);
    await db
      .insert(authThrottle)
      .values({ key, failures: 1, windowStartedAt: now })
      .onConflictDoUpdate({
        target: authThrottle.key,
        set: {
          failures: sql`case when ${authThrottle.windowStartedAt} < ${windowStart} then 1 else ${authThrottle.failures} + 1 end`,
          windowStartedAt: sql`case when ${authThrottle.windowStartedAt} < ${windowStart} then ${now} else ${authThrottle.windowStartedAt} end`,
          lockedUntil: sql`case when ${authThrottle.windowStartedAt} >= ${windowStart} and ${authThrottle.failures} + 1 >= ${max} then ${new Date(now.getTime() + LOCK_MS)} else ${authThrottle.lockedUntil} end`,
        },
      });
  }
}

export async function clearFailures(db: Db, keys: ThrottleKey[]) {
  for (const { key } of keys) await db.delete(authThrottle).where(eq(authThrottle.key, key));
}
