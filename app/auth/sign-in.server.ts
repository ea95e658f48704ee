import { eq, sql } from "drizzle-orm";
import { recordAdminAction } from "~/audit/audit.server";
import type { AppServices } from "~/context.server";
import { users } from "~/db/schema";
import { hasSecondFactor } from "./factors/store.server";
import { requestPasswordReset } from "./password-reset.server";
import { DUMMY_HASH, verifyPassword } from "./password.server";
import { perAddress } from "./rate-limit.server";
import { clearPair, readCounts, recordFailure, SIGN_IN_LIMITS, signInGate, signInKeys } from "./throttle.server";

export type SignInResult =
  | { ok: true; user: { id: string; role: "admin" | "customer" } }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "wait"; retryAfterSeconds: number }
  | { ok: false; reason: "prove" };

export async function authenticate(
  app: AppServices,
  input: { email: string; password: string; clientAddress: string | null },
): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const limits = { ...SIGN_IN_LIMITS, address: perAddress(SIGN_IN_LIMITS.address, app.env.RATE_LIMIT_ADDRESS_FACTOR) };
  const keys = signInKeys(email, input.clientAddress);
  const gate = signInGate(await readCounts(app.db, keys), limits, new Date());
  if (gate.kind === "wait") return { ok: false, reason: "wait", retryAfterSeconds: gate.retryAfterSeconds };
  const [user] = await app.db
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, email));
  // Verify even when the user does not exist, so timing does not reveal which emails have accounts.
  const valid = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
  // Admins' sign-ins, refused ones included, go to the audit log (customers' do not: they are not admin actions).
  const audit = (action: "sign_in" | "sign_in_failed", reason?: string) =>
    user?.role === "admin"
      ? recordAdminAction(app.db, { adminId: user.id, action, clientAddress: input.clientAddress, reason, after: action === "sign_in" ? { method: "password" } : null })
      : Promise.resolve();
  if (!user || !valid) {
    await recordFailure(app.db, keys, limits);
    await audit("sign_in_failed", gate.kind === "prove" ? "wrong password (account needs a reset link)" : "wrong password");
    return { ok: false, reason: gate.kind === "prove" ? "prove" : "invalid" };
  }
  // An admin with a second factor proves it is them with the factor (the next step), so many addresses guessing
  // their password never keep them out; the answer to a wrong password is unchanged (docs/decisions/040).
  const factorWillProve = user.role === "admin" && (await hasSecondFactor(app.db, user.id));
  if (gate.kind === "prove" && !factorWillProve) {
    await audit("sign_in_failed", "right password, but the account needs a reset link first");
    // The same answer as a wrong password; the reset mail (limited like any reset request) goes out after
    // the response, so not even its timing tells a guesser that this password was the right one.
    app.afterResponse(() => requestPasswordReset(app, email, input.clientAddress));
    return { ok: false, reason: "prove" };
  }
  await clearPair(app.db, keys);
  await app.db.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, user.id));
  await audit("sign_in");
  return { ok: true, user: { id: user.id, role: user.role as "admin" | "customer" } };
}
