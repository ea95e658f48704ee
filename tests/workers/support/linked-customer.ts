// A signed-in, verified customer whose account is linked to a sandbox contact by their verified email (by default
// the seed's "Ana Reyes": 30 invoices, two pages of 25): what order-history, mirror and profile-update tests start from.
import { sql as drizzleSql } from "drizzle-orm";
import type { WorkerEnv } from "~/context.server";
import { customers } from "~/db/schema";
import { browser } from "./browser";
import { testDb } from "./database";
import { createUser } from "./factories";
import { connectZoho, sandbox } from "./zoho-sandbox";

type Linked = {
  /** The contact's display name in the sandbox (default "Ana Reyes"). */
  contactName?: string;
  /** The customer's email: one on the contact's own person for a profile update to find them (default: a fresh address). */
  email?: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  /** The shop is already connected (default: connect it now). */
  connected?: boolean;
};

/** The customer, signed in (`b`), linked to the contact named `contactName`; `customerId` and `contact` too. */
export async function linkedCustomer(env: WorkerEnv, databaseUrl: string, opts: Linked = {}) {
  if (!opts.connected) await connectZoho(env);
  const contactName = opts.contactName ?? "Ana Reyes";
  const contact = (await sandbox().listContacts()).find((c) => c.contact_name === contactName)!;
  const user = await createUser(databaseUrl, { role: "customer", ...(opts.email ? { email: opts.email } : {}) });
  const { db, close } = testDb(databaseUrl);
  let customerId: string;
  try {
    // Order history needs a verified email and a proven link (issue 11); the mail flow itself is tested elsewhere.
    await db.execute(drizzleSql`update users set email_verified_at = now() where id = ${user.id}`);
    [{ id: customerId }] = await db
      .insert(customers)
      .values({
        userId: user.id, firstName: opts.firstName ?? "Ana", lastName: opts.lastName ?? "Reyes", email: user.email, phone: opts.phone ?? "+639170000001",
        deliveryMethod: "pickup", isReturningCustomer: true, zohoSyncStatus: "synced", zohoContactId: contact.contact_id, zohoContactName: contact.contact_name,
        zohoMatchType: "email", zohoLinkBasis: "verified_email",
      })
      .returning({ id: customers.id });
  } finally {
    await close();
  }
  const b = browser(env);
  await b.post("/login", { email: user.email, password: user.password, redirectTo: "" });
  return { b, contact, customerId, user };
}

/** The seed's Ana Reyes, linked and signed in: the browser. */
export async function signedInAsLinkedAna(env: WorkerEnv, databaseUrl: string) {
  return (await linkedCustomer(env, databaseUrl)).b;
}
