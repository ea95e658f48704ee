// The free duplicate check (issue 20 item 3): a new customer created because the mirror did not have the email is
// checked after the mirror's next read against the mirror itself (0 Zoho calls): a contact with the same email
// that appeared in Zoho meanwhile flags the customer as a possible duplicate for an admin. While the mirror has not
// been read since the create, the check searches Zoho live as before. Calls counted where Zoho sees them.
import { describe, expect, it } from "vitest";
import type { WorkerEnv } from "~/context.server";
import { readChangesNow } from "~/zoho/mirror/read.server";
import { sql } from "./support/database";
import { createCustomerWithJob, loadCustomer } from "./support/factories";
import { freshWorldPerTest } from "./support/fresh-world";
import { makeJobDue } from "./support/jobs";
import { booksCalls, completeMirror, ledger, mirrorEnv as mirrorEnvOf, withApp } from "./support/mirror-world";
import { deliver } from "./support/queue-delivery";
import { signedIn } from "./support/sign-in";
import { connectZoho, sandbox } from "./support/zoho-sandbox";

let databaseUrl: string;
freshWorldPerTest((url) => (databaseUrl = url));

const mirrorEnv = () => mirrorEnvOf(databaseUrl);
const syncCalls = async () => (await ledger(databaseUrl)).sync;

/** A complete, fresh mirror; then a new customer the mirror does not know is created (1 call) and gets a check. */
async function createdFromTheMirror(env: WorkerEnv, email: string) {
  await connectZoho(env);
  await completeMirror(env);
  const { customer, job } = await createCustomerWithJob(databaseUrl, { firstName: "Rita", lastName: "Mirror", email });
  await sandbox().clearCalls();
  await deliver(env, [job.id]);
  const loaded = await loadCustomer(databaseUrl, customer.id);
  expect(loaded.customer).toMatchObject({ zohoSyncStatus: "synced", zohoMatchType: "created" });
  expect((await booksCalls()).map((c) => `${c.method} ${c.path}`)).toEqual(["POST /books/v3/contacts"]);
  const check = loaded.jobs.find((j) => !j.processedAt)!;
  return { customer, check };
}

describe("the duplicate check after a create the mirror decided", () => {
  it("after the mirror's next read, a contact with the same email that appeared in Zoho meanwhile is flagged with 0 calls", async () => {
    const env = mirrorEnv();
    const { customer, check } = await createdFromTheMirror(env, "rita@shoppers.example");
    // Due after the next hourly read (about 75 minutes), not the next budget day: it will cost nothing.
    expect(check).toMatchObject({ action: "check_duplicate" });
    expect(check.scheduledFor.getTime() - Date.now()).toBeGreaterThan(70 * 60_000);
    expect(check.scheduledFor.getTime() - Date.now()).toBeLessThan(80 * 60_000);

    // Someone adds Rita in Zoho by hand; the create was a while ago and the mirror's hourly read sees both contacts.
    await sandbox().addContact({ contact_name: "Rita M.", email: "Rita@Shoppers.example" });
    await sql(databaseUrl, "update customers set zoho_linked_at = now() - interval '5 minutes' where id = $1", [customer.id]);
    await withApp(env, (app) => readChangesNow(app, ["contacts"]));
    await makeJobDue(databaseUrl, check.id);
    await sandbox().clearCalls();
    const ledgerBefore = await syncCalls();
    await deliver(env, [check.id]);

    const loaded = await loadCustomer(databaseUrl, customer.id);
    expect(await booksCalls()).toEqual([]);
    expect(await syncCalls()).toBe(ledgerBefore);
    expect(loaded.events.at(-1)).toMatchObject({ action: "check_duplicate", outcome: "possible_duplicate", zohoCalls: 0 });
    expect(loaded.customer).toMatchObject({ zohoSyncStatus: "synced", zohoReviewReason: "possible_duplicate" });
    expect(loaded.customer.zohoSyncError).toMatch(/Possible duplicate: 2 Zoho contacts use this email/);
    expect(loaded.customer.zohoSyncCandidates).toHaveLength(2);
    // The same reason and filter as the live check's.
    const admin = await signedIn(env, databaseUrl, "admin", "staff");
    expect(await (await admin.get("/admin/customers?reason=possible_duplicate")).text()).toContain("rita@shoppers.example");
  });

  it("nothing appeared meanwhile: the check passes, still with 0 calls", async () => {
    const env = mirrorEnv();
    const { customer, check } = await createdFromTheMirror(env, "sol@shoppers.example");
    await sql(databaseUrl, "update customers set zoho_linked_at = now() - interval '5 minutes' where id = $1", [customer.id]);
    await withApp(env, (app) => readChangesNow(app, ["contacts"]));
    await makeJobDue(databaseUrl, check.id);
    await sandbox().clearCalls();
    await deliver(env, [check.id]);
    const loaded = await loadCustomer(databaseUrl, customer.id);
    expect(await booksCalls()).toEqual([]);
    expect(loaded.events.at(-1)).toMatchObject({ action: "check_duplicate", outcome: "synced", zohoCalls: 0 });
    expect(loaded.customer.zohoReviewReason).toBeNull();
  });

  it("the mirror not read since the create (Zoho down at the hour, say): the check searches Zoho live, as without a mirror", async () => {
    const env = mirrorEnv();
    const { customer, check } = await createdFromTheMirror(env, "tess@shoppers.example");
    await sandbox().addContact({ contact_name: "Tess M.", email: "tess@shoppers.example" });
    await makeJobDue(databaseUrl, check.id);
    await sandbox().clearCalls();
    await deliver(env, [check.id]);
    const loaded = await loadCustomer(databaseUrl, customer.id);
    expect((await booksCalls()).map((c) => `${c.method} ${c.path} ${c.query.email}`)).toEqual(["GET /books/v3/contacts tess@shoppers.example"]);
    expect(loaded.customer.zohoReviewReason).toBe("possible_duplicate");
  });
});
