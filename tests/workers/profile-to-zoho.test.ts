// A linked customer's edits flow to Zoho (issue 20, item 5; docs/decisions/039-profile-updates-to-zoho.md): an
// update job reads the contact, compares each changed field with what Zoho was last known to hold, and writes the
// contact (name, shipping address; contact_name always sent) and the customer's own contact person (name, mobile),
// counted in the sync share. Zoho calls are counted where Zoho sees them (the sandbox's call log).
import { describe, expect, it } from "vitest";
import { sql } from "./support/database";
import { freshWorldPerTest } from "./support/fresh-world";
import { expireLease } from "./support/jobs";
import { linkedCustomer } from "./support/linked-customer";
import { crashAfterZohoWrite, deliver } from "./support/queue-delivery";
import { signedIn } from "./support/sign-in";
import { testEnv } from "./support/worker-env";
import { connectZoho, sandbox } from "./support/zoho-sandbox";

let databaseUrl: string;
freshWorldPerTest((url) => (databaseUrl = url));

const EDIT = {
  firstName: "Ana",
  lastName: "Reyes-Cruz",
  phone: "0917 111 2222",
  deliveryMethod: "delivery",
  addressLine1: "12 Mango St",
  city: "Makati",
  province: "Metro Manila",
  postalCode: "1200",
};

const writes = async () => (await sandbox().calls()).filter((c) => c.method === "PUT").map((c) => c.path.replace(/\d{6,}/g, ":id"));
const contact = async (id: string) => (await sandbox().listContacts()).find((c) => c.contact_id === id)!;
const ledger = async () => ((await sql(databaseUrl, "select coalesce(sum(sync),0)::int as sync from zoho_api_ledger")) as Array<{ sync: number }>)[0].sync;
const accountStatus = async (b: { get(path: string): Promise<Response> }) => (await (await b.get("/account")).text()).match(/data-testid="zoho-update-status"[^>]*>([^<]*)</)?.[1] ?? null;

/** Ana, linked by her own person's email, signed in; her edit saved; the queue's messages so far. */
async function anaEdits(edit: Record<string, string> = EDIT) {
  const { env, queue } = testEnv(databaseUrl);
  const me = await linkedCustomer(env, databaseUrl, { email: "ana.reyes@example.com" });
  await sandbox().clearCalls();
  const saved = await me.b.post("/account/profile", edit);
  expect(saved.status).toBe(302);
  return { env, queue, ...me };
}

describe("a linked customer's edit", () => {
  it("reaches Zoho once: one read and one write each of the contact and her own person, counted in the sync share", async () => {
    const { env, queue, b, contact: ana } = await anaEdits();
    expect(await accountStatus(b)).toBe("Saved; sending to our accounts system. This usually takes a few seconds.");
    expect(queue.sent).toHaveLength(1);
    const [{ jobId }] = queue.sent as Array<{ jobId: string }>;

    await deliver(env, [jobId]);
    await deliver(env, [jobId]); // a duplicate delivery finds the job done
    expect(await writes()).toEqual(["/books/v3/contacts/:id", "/books/v3/contacts/contactpersons/:id"]);
    expect((await sandbox().calls()).filter((c) => c.method === "GET").map((c) => c.path.replace(/\d{6,}/g, ":id"))).toEqual(["/books/v3/contacts/:id"]);
    expect(await ledger()).toBe(3);

    const now = await contact(ana.contact_id);
    expect(now.contact_name).toBe("Ana Reyes-Cruz");
    expect(now.contact_persons?.[0]).toMatchObject({ first_name: "Ana", last_name: "Reyes-Cruz", mobile: "+639171112222" });
    expect(now.shipping_address).toMatchObject({ address: "12 Mango St", city: "Makati", state: "Metro Manila", zip: "1200" });
    expect(await accountStatus(b)).toMatch(/^Sent to our accounts system on /);
  });

  it("several edits before the job runs coalesce into one update: the latest values, sent once", async () => {
    const { env, queue, b, contact: ana } = await anaEdits();
    await b.post("/account/profile", { ...EDIT, phone: "0917 333 4444" });
    const ids = new Set((queue.sent as Array<{ jobId: string }>).map((m) => m.jobId));
    expect(ids.size).toBe(1);
    await deliver(env, [...ids]);
    expect(await writes()).toHaveLength(2);
    expect((await contact(ana.contact_id)).contact_persons?.[0].mobile).toBe("+639173334444");
  });

  it("a crash after Zoho's write, then the redelivery: nothing is written twice", async () => {
    const { env, queue, contact: ana } = await anaEdits();
    const [{ jobId }] = queue.sent as Array<{ jobId: string }>;
    // The worker dies right after the contact's write: the person is not written yet, nothing is stored.
    expect((await crashAfterZohoWrite(env, jobId, "killed after the contact's write")).retryMessages).toHaveLength(1);
    await deliver(env, [jobId]); // the dead worker's lease holds: nothing runs
    await expireLease(databaseUrl, jobId);
    await deliver(env, [jobId]);
    await deliver(env, [jobId]);
    expect(await writes()).toEqual(["/books/v3/contacts/:id", "/books/v3/contacts/contactpersons/:id"]);
    expect((await contact(ana.contact_id)).contact_persons?.[0]).toMatchObject({ last_name: "Reyes-Cruz", mobile: "+639171112222" });
    const [row] = (await sql(databaseUrl, "select status from zoho_profile_updates")) as Array<{ status: string }>;
    expect(row.status).toBe("sent");
  });

  it("a field Zoho changed since is not overwritten: the customer goes to review with both values on the admin page", async () => {
    const { env, queue, b, contact: ana, customerId } = await anaEdits();
    // Someone at the shop changes Ana's mobile in Zoho before the job runs.
    await sandbox().editContact(ana.contact_id, { mobile: "+639175550000" });
    await sandbox().clearCalls();
    await deliver(env, (queue.sent as Array<{ jobId: string }>).map((m) => m.jobId));

    const now = await contact(ana.contact_id);
    expect(now.contact_persons?.[0].mobile).toBe("+639175550000"); // Zoho's value stands
    expect(now.contact_name).toBe("Ana Reyes-Cruz"); // the fields nobody else changed are sent
    expect(await accountStatus(b)).toContain("Needs a look: your mobile number also changed in our accounts system");
    const [customer] = (await sql(databaseUrl, "select zoho_sync_status, zoho_review_reason from customers where id = $1", [customerId])) as Array<Record<string, string>>;
    expect(customer).toEqual({ zoho_sync_status: "synced", zoho_review_reason: "profile_conflict" });

    const admin = await signedIn(env, databaseUrl, "admin");
    const page = await (await admin.get(`/admin/customers/${customerId}`)).text();
    const table = page.slice(page.indexOf('data-testid="zoho-update-conflicts"'));
    expect(table).toContain("Mobile number");
    expect(table).toContain("+639171112222");
    expect(table).toContain("+639175550000");
    expect(await (await admin.get("/admin/customers?reason=profile_conflict")).text()).toContain(`/admin/customers/${customerId}`);

    // The customer saves Zoho's number: the update goes through and the review ends.
    const before = queue.sent.length;
    await b.post("/account/profile", { ...EDIT, phone: "0917 555 0000" });
    await deliver(env, (queue.sent.slice(before) as Array<{ jobId: string }>).map((m) => m.jobId));
    const [after] = (await sql(databaseUrl, "select zoho_review_reason from customers where id = $1", [customerId])) as Array<Record<string, string | null>>;
    expect(after.zoho_review_reason).toBeNull();
    expect(await accountStatus(b)).toMatch(/^Sent to our accounts system/);
  });
});

describe("a company or family contact", () => {
  it("is never renamed, even when named after the customer, and keeps its address: only the customer's own (secondary) person changes", async () => {
    const { env, queue } = testEnv(databaseUrl);
    await connectZoho(env);
    // A family's contact named after Carla, whose primary person is her mother: Carla is linked through her own person.
    await sandbox().addContact({
      contact_name: "Carla Lopez",
      company_name: "Lopez Household",
      contact_persons: [
        { first_name: "Mila", last_name: "Lopez", email: "mila.lopez@example.com", is_primary_contact: true },
        { first_name: "Carla", last_name: "Lopez", email: "carla.household@example.com", is_primary_contact: false },
      ],
    });
    const { b, contact: family } = await linkedCustomer(env, databaseUrl, {
      connected: true, contactName: "Carla Lopez", email: "carla.household@example.com", firstName: "Carla", lastName: "Lopez", phone: "+639171112222",
    });
    await sandbox().clearCalls();
    await b.post("/account/profile", { ...EDIT, firstName: "Carla", lastName: "Lopez-Tan" });
    await deliver(env, (queue.sent as Array<{ jobId: string }>).map((m) => m.jobId));

    expect(await writes()).toEqual(["/books/v3/contacts/contactpersons/:id"]);
    const now = await contact(family.contact_id);
    expect(now.contact_name).toBe("Carla Lopez");
    expect(now.shipping_address ?? {}).toEqual({});
    expect(now.contact_persons?.find((p) => p.email === "carla.household@example.com")).toMatchObject({ first_name: "Carla", last_name: "Lopez-Tan" });
    expect(now.contact_persons?.find((p) => p.is_primary_contact)).toMatchObject({ first_name: "Mila", last_name: "Lopez" });
    expect(await accountStatus(b)).toContain("Your delivery address is kept here");
  });
});

describe("an unlinked customer's edit", () => {
  it("stays in the portal: no update, no job, no Zoho call", async () => {
    const { env, queue } = testEnv(databaseUrl);
    const me = await signedIn(env, databaseUrl, "customer");
    await sql(
      databaseUrl,
      "insert into customers (user_id, first_name, last_name, email, phone, delivery_method, zoho_sync_status) values ($1, 'Nora', 'Lim', $2, '+639170000009', 'pickup', 'failed')",
      [me.userId, me.email],
    );
    const saved = await me.post("/account/profile", { ...EDIT, firstName: "Nora", lastName: "Lim" });
    expect(saved.status).toBe(302);
    expect(queue.sent).toEqual([]);
    expect(await sql(databaseUrl, "select * from zoho_profile_updates")).toEqual([]);
    expect(await accountStatus(me)).toBeNull();
  });
});
