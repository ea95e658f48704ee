// The world each admin request of the table (admin-requests.ts) needs to take effect, and sending it as a browser
// would: shared by the audit log's "one row per action" table and the re-auth table (reauth.test.ts).
import { expect } from "vitest";
import type { WorkerEnv } from "~/context.server";
import { deleteAllJobs } from "~/sync/jobs/tooling.server";
import type { AdminRequest, fill } from "./admin-requests";
import type { Browser } from "./browser";
import { sql, testDb } from "./database";
import { createCustomerWithJob, createUser, loadCustomer } from "./factories";
import { deliver } from "./queue-delivery";
import { addSoftPasskey, passkeyToAdd } from "./soft-passkey";
import { connectZoho, sandbox } from "./zoho-sandbox";

/** A returning customer with a verified login whose sync ran: "Juan Dela Cruz" is matched by name only (the sandbox's seed has him with another email). */
async function suggestedCustomer(databaseUrl: string, env: WorkerEnv) {
  const user = await createUser(databaseUrl, { role: "customer", email: "juan.new@elsewhere.example", verified: true });
  const { customer, job } = await createCustomerWithJob(databaseUrl, { returning: true, firstName: "Juan", lastName: "Dela Cruz", email: user.email });
  await sql(databaseUrl, "update customers set user_id = $1 where id = $2", [user.id, customer.id]);
  await deliver(env, [job.id]);
  const after = (await loadCustomer(databaseUrl, customer.id)).customer;
  expect(after.zohoReviewReason).toBe("name_only");
  return { id: customer.id, contactId: after.zohoSyncCandidates![0].contactId };
}

/** A customer in the state the request needs (Zoho connected), and the values of its placeholders. */
export async function prepareAdminRequest(databaseUrl: string, env: WorkerEnv, r: AdminRequest) {
  await connectZoho(env);
  const contact = await sandbox().addContact({ contact_name: "Audit Target", email: "audit.target@example.com" });
  if (r.needs === "suggested") {
    const s = await suggestedCustomer(databaseUrl, env);
    return { id: s.id, contactId: s.contactId, expected: "1" };
  }
  const { customer } = await createCustomerWithJob(databaseUrl);
  if (r.needs === "linked")
    await sql(databaseUrl, "update customers set zoho_contact_id = $1, zoho_sync_status = 'manual', zoho_link_basis = 'admin' where id = $2", [contact.contact_id, customer.id]);
  if (r.needs === "failed") await sql(databaseUrl, "update customers set zoho_sync_status = 'failed', zoho_sync_error = 'boom' where id = $1", [customer.id]);
  if (r.needs === "staff_admin") {
    const other = await createUser(databaseUrl, { role: "admin", adminRole: "staff" });
    return { id: customer.id, adminId: other.id };
  }
  if (r.needs === "invitation") {
    const [row] = (await sql(databaseUrl, "insert into admin_invitations (email, admin_role, token_hash, expires_at) values ($1, 'staff', $2, now() + interval '1 day') returning id", [
      `waiting.${crypto.randomUUID().slice(0, 8)}@staff.example`,
      crypto.randomUUID(),
    ])) as Array<{ id: string }>;
    return { id: customer.id, invitationId: row.id };
  }
  if (r.needs === "pending") {
    // A customer who registered before sync existed: no job at all (the backfill's kind).
    const { db, close } = testDb(databaseUrl);
    await deleteAllJobs(db).finally(close);
  }
  return { id: customer.id, contactId: contact.contact_id, expected: "1" };
}

/** The request as a browser sends it: a form post with its CSRF field, or a JSON API call. */
export async function sendAdminRequest(b: Browser, r: ReturnType<typeof fill>, extra: Record<string, string> = {}) {
  return r.fields ? b.post(r.path, { ...r.fields, ...extra }) : b.api(r.method, r.path);
}

/** The signed-in admin's own passkey state a request needs (after signing in): a challenge and its answer, or a passkey to remove. */
export async function withOwnPasskeyState<V extends object>(b: Browser, databaseUrl: string, adminId: string, r: AdminRequest, values: V) {
  if (r.needs === "passkey_challenge") Object.assign(values, { attestation: (await passkeyToAdd(b, databaseUrl, adminId)).response });
  if (r.needs === "own_passkey") Object.assign(values, { passkeyId: (await addSoftPasskey(b, databaseUrl, adminId)).factorId });
  return values;
}
