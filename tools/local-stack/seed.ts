// Demo data for `npm run dev`: an admin and a few customers in different sync states.
import { sql } from "drizzle-orm";
import { hashPassword } from "~/auth/password.server";
import { customers, users, zohoSyncEvents } from "~/db/schema";
import { insertJob } from "~/sync/jobs/enqueue.server";
import type { NodeDb } from "./node-db";
import { enrolAdmin } from "../admin-sign-in";

// The demo admin's authenticator app secret: `npm run dev` prints it (add it to an app, or `npm run admin:code`).
export const DEMO_ADMIN = { email: "admin@cangoods.local", password: "cangoods-admin-demo", totpSecret: "MNQW4Z3PN5SHGLLBMRWWS3RNMRSW23ZN" };
export const DEMO_CUSTOMER = { email: "maria.demo@example.com", password: "cangoods-customer-demo" };

export async function seedDemoData(db: NodeDb, encryptionKey: string): Promise<boolean> {
  const [{ count }] = await db.select({ count: sql<number>`count(*)::int` }).from(users);
  if (count > 0) return false;
  await enrolAdmin(db, DEMO_ADMIN, encryptionKey);
  // Demo logins count as verified (the owner proved the address), so the link policy treats them as
  // real customers; Juan Dela Cruz has no login and shows what an unproven email does (review).
  const customerPassword = await hashPassword(DEMO_CUSTOMER.password);
  const [customerUser, nobodyUser] = await db
    .insert(users)
    .values([
      { email: DEMO_CUSTOMER.email, passwordHash: customerPassword, role: "customer", emailVerifiedAt: new Date() },
      { email: "nobody.known@example.com", passwordHash: customerPassword, role: "customer", emailVerifiedAt: new Date() },
    ])
    .returning();
  const base = { phone: "+639171234567", deliveryMethod: "pickup" as const };
  const rows = await db
    .insert(customers)
    .values([
      { ...base, userId: customerUser.id, firstName: "Maria", lastName: "Demo", email: DEMO_CUSTOMER.email, isReturningCustomer: false, zohoSyncStatus: "pending" },
      { ...base, firstName: "Ana", lastName: "Lopez", email: "ana.lopez@example.com", isReturningCustomer: false, zohoSyncStatus: "pending" },
      { ...base, userId: nobodyUser.id, firstName: "Nobody", lastName: "Known", email: "nobody.known@example.com", isReturningCustomer: true, zohoSyncStatus: "failed", zohoSyncError: "No matching contact found in Zoho Books", zohoSyncAttempts: 1, zohoLastSyncAt: new Date() },
      { ...base, firstName: "Shared", lastName: "Inbox", email: "shared@example.com", isReturningCustomer: true, zohoSyncStatus: "pending" },
      { ...base, firstName: "Juan", lastName: "Dela Cruz", email: "juan@example.com", isReturningCustomer: true, zohoSyncStatus: "pending" },
    ])
    .returning();
  const open = rows.filter((r) => r.zohoSyncStatus === "pending");
  for (const r of open) await insertJob(db, { customerId: r.id, action: r.isReturningCustomer ? "match" : "create" });
  const failed = rows.find((r) => r.zohoSyncStatus === "failed")!;
  await db.insert(zohoSyncEvents).values({
    customerId: failed.id,
    action: "match",
    outcome: "failed",
    matchType: "none",
    zohoCalls: 2,
    error: "No matching contact found in Zoho Books",
  });
  return true;
}
