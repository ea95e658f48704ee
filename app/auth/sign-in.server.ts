import { eq, sql } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import { users } from "~/db/schema";
import { DUMMY_HASH, verifyPassword } from "./password.server";
import { clearFailures, lockedUntil, recordFailure } from "./throttle.server";

export type SignInResult =
  | { ok: true; user: { id: string; role: "admin" | "customer" } }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "locked"; until: Date };

export async function authenticate(
  app: AppServices,
  input: { email: string; password: string; clientAddress: string | null },
): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const emailKey = { key: `email:${email}`, max: 5 };
  const keys = [emailKey, ...(input.clientAddress ? [{ key: `ip:${input.clientAddress}`, max: 30 }] : [])];
  const until = await lockedUntil(app.db, keys);
  if (until) return { ok: false, reason: "locked", until };
  const [user] = await app.db
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, email));
  // Verify even when the user does not exist, so timing does not reveal which emails have accounts.
  const valid = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !valid) {
    await recordFailure(app.db, keys);
    return { ok: false, reason: "invalid" };
  }
  await clearFailures(app.db, [emailKey]);
  await app.db.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, user.id));
  return { ok: true, user: { id: user.id, role: user.role as "admin" | "customer" } };
}
