// Test data factories: users, customers with their open sync job, and reading a customer back.
import { eq } from "drizzle-orm";
import { hashPassword } from "~/auth/password.server";
import { customers, users, zohoSyncEvents } from "~/db/schema";
import { insertJob } from "~/sync/jobs/enqueue.server";
import { jobRecord, jobRecordsOf } from "~/sync/jobs/tooling.server";
import { testDb } from "./database";

let counter = 0;
export async function createUser(
  databaseUrl: string,
  // adminRole: for an admin, owner (the default: what every admin could do before roles) or staff.
  opts: { role?: "admin" | "customer"; adminRole?: "owner" | "staff"; email?: string; password?: string; verified?: boolean } = {},
) {
  const { db, close } = testDb(databaseUrl);
  try {
    const password = opts.password ?? "correct horse battery staple";
    const email = opts.email ?? `user${++counter}-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const [user] = await db
      .insert(users)
      .values({
        email,
        passwordHash: await hashPassword(password),
        role: opts.role ?? "customer",
        adminRole: opts.role === "admin" ? (opts.adminRole ?? "owner") : null,
        emailVerifiedAt: opts.verified === false ? null : new Date(),
      })
      .returning();
    return { ...user, password };
  } finally {
    await close();
  }
}
let n = 0;
export async function createCustomerWithJob(
  databaseUrl: string,
  // verified: the customer has a portal login whose email they proved (users.email_verified_at), which
  // the link policy requires before any automatic link to an existing contact.
  opts: { returning?: boolean; firstName?: string; lastName?: string; email?: string; phone?: string; verified?: boolean } = {},
) {
  const { db, close } = testDb(databaseUrl);
  try {
    n++;
    const email = opts.email ?? `customer${n}-${crypto.randomUUID().slice(0, 8)}@shoppers.example`;
    const [user] = opts.verified
      ? await db.insert(users).values({ email, passwordHash: "not-used", role: "customer", emailVerifiedAt: new Date() }).returning()
      : [];
    const [customer] = await db
      .insert(customers)
      .values({
        userId: user?.id ?? null,
        firstName: opts.firstName ?? "Test",
        lastName: opts.lastName ?? `Customer${n}${crypto.randomUUID().slice(0, 4)}`,
        email,
        phone: opts.phone ?? "+639171234567",
        deliveryMethod: "pickup",
        isReturningCustomer: opts.returning ?? false,
      })
      .returning();
    const jobId = await insertJob(db, { customerId: customer.id, action: opts.returning ? "match" : "create" });
    const job = await jobRecord(db, jobId);
    return { customer, job };
  } finally {
    await close();
  }
}

export async function loadCustomer(databaseUrl: string, id: string) {
  const { db, close } = testDb(databaseUrl);
  try {
    const [customer] = await db.select().from(customers).where(eq(customers.id, id));
    const jobs = await jobRecordsOf(db, id);
    const events = await db.select().from(zohoSyncEvents).where(eq(zohoSyncEvents.customerId, id)).orderBy(zohoSyncEvents.id);
    return { customer, jobs, events };
  } finally {
    await close();
  }
}

