// What a signed-in customer sees of their own record: details and a plain-language sync status.
import { eq } from "drizzle-orm";
import type { DbOrTx } from "~/db/client.server";
import { customers, users, type SyncStatus } from "~/db/schema";

export async function customerForUser(db: DbOrTx, userId: string) {
  const [customer] = await db.select().from(customers).where(eq(customers.userId, userId));
  return customer ?? null;
}

/** A new address the customer asked for and has not confirmed yet. */
export async function pendingEmailChange(db: DbOrTx, userId: string): Promise<{ email: string; since: Date } | null> {
  const [user] = await db.select({ email: users.pendingEmail, since: users.pendingEmailAt }).from(users).where(eq(users.id, userId));
  return user?.email ? { email: user.email, since: user.since ?? new Date() } : null;
}

export type HistoryLink = { state: "working" | "linked" | "checking"; text: string };

/** Never internal error text: the customer learns what is happening and what happens next. */
export function historyLinkStatus(status: SyncStatus): HistoryLink {
  switch (status) {
    case "synced":
    case "manual":
      return { state: "linked", text: "Your order history is linked to this account." };
    case "failed":
    case "skipped":
      return { state: "checking", text: "We couldn't find your previous orders yet. Our team will check and link them for you." };
    default:
      return { state: "working", text: "We're linking your order history. This usually takes a few minutes." };
  }
}
