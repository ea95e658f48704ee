// What a signed-in customer sees of their own record (the order history's wording is history-access.ts).
import { eq } from "drizzle-orm";
import type { DbOrTx } from "~/db/client.server";
import { customers, users } from "~/db/schema";

export async function customerForUser(db: DbOrTx, userId: string) {
  const [customer] = await db.select().from(customers).where(eq(customers.userId, userId));
  return customer ?? null;
}

/** A new address the customer asked for and has not confirmed yet. */
export async function pendingEmailChange(db: DbOrTx, userId: string): Promise<{ email: string; since: Date } | null> {
  const [user] = await db.select({ email: users.pendingEmail, since: users.pendingEmailAt }).from(users).where(eq(users.id, userId));
  return user?.email ? { email: user.email, since: user.since ?? new Date() } : null;
}

