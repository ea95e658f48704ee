// A signed-in, verified customer whose account is linked to the sandbox's "Ana Reyes" (30 invoices: two
// pages of 25), linked by their verified email: what order-history tests start from.
import { sql as drizzleSql } from "drizzle-orm";
import type { WorkerEnv } from "~/context.server";
import { customers } from "~/db/schema";
import { browser } from "./browser";
import { testDb } from "./database";
import { createUser } from "./factories";
import { connectZoho, sandbox } from "./zoho-sandbox";

export async function signedInAsLinkedAna(env: WorkerEnv, databaseUrl: string) {
  await connectZoho(env);
  const ana = (await sandbox().listContacts()).find((c) => c.contact_name === "Ana Reyes")!;
  const user = await createUser(databaseUrl, { role: "customer" });
  const { db, close } = testDb(databaseUrl);
  try {
    await db.execute(drizzleSql`update users set email_verified_at = now() where id = ${user.id}`);
    await db.insert(customers).values({
      userId: user.id, firstName: "Ana", lastName: "Reyes", email: user.email, phone: "+639170000001", deliveryMethod: "pickup",
      isReturningCustomer: true, zohoSyncStatus: "synced", zohoContactId: ana.contact_id, zohoContactName: "Ana Reyes",
      zohoMatchType: "email", zohoLinkBasis: "verified_email",
    });
  } finally {
    await close();
  }
  const b = browser(env);
  await b.post("/login", { email: user.email, password: user.password, redirectTo: "" });
  return b;
}
