// A link stays true (issue 20 item 4; docs/decisions/043-a-404-on-reading-a-contact-ends-its-links.md): when the
// portal reads a linked contact by id and Zoho answers that it does not exist — a profile update's read, an admin's
// link check — the contact is deleted in Zoho: its links end at once (review "contact_deleted", order history
// hidden), as the webhook and the weekly pass would end them, with no further Zoho call, whether or not the mirror
// is on. Zoho's "Invalid URL" 404 (the address is wrong, not the contact) ends nothing.
import { describe, expect, it } from "vitest";
import type { WorkerEnv } from "~/context.server";
import { sql } from "./support/database";
import { completeMirror } from "./support/mirror-world";
import { loadCustomer } from "./support/factories";
import { freshWorldPerTest } from "./support/fresh-world";
import { linkedCustomer } from "./support/linked-customer";
import { deliver } from "./support/queue-delivery";
import { signedIn } from "./support/sign-in";
import { testEnv } from "./support/worker-env";
import { connectZoho, sandbox } from "./support/zoho-sandbox";

let databaseUrl: string;
freshWorldPerTest((url) => (databaseUrl = url));

const EDIT = { firstName: "Ana", lastName: "Reyes-Cruz", phone: "0917 111 2222", deliveryMethod: "pickup" };
const booksCalls = async () =>
  (await sandbox().calls()).filter((c) => c.path.startsWith("/books/v3/")).map((c) => `${c.method} ${c.path.replace(/\d{6,}/g, ":id")} ${c.status}`);
const mirrorRow = async (contactId: string) =>
  ((await sql(databaseUrl, "select deleted_at is not null as deleted from zoho_mirror_contacts where contact_id = $1", [contactId])) as Array<{ deleted: boolean }>)[0];
const zohoSide = async (customerId: string) => (await loadCustomer(databaseUrl, customerId)).events.filter((e) => e.action === "link_revetted_zoho");
const updateEvents = async (customerId: string) => (await loadCustomer(databaseUrl, customerId)).events.filter((e) => e.action === "update_contact");


/** Ana, linked by her own person's email and signed in (the mirror read first when it is on); her contact deleted in Zoho; her edit saved. */
async function anaEditsAfterDeletion(mirror: "on" | "off") {
  const { env, queue } = testEnv(databaseUrl, mirror === "on" ? { MIRROR_FULL_READ_DAILY_CALLS: "200" } : {});
  await connectZoho(env);
  if (mirror === "on") await completeMirror(env);
  const me = await linkedCustomer(env, databaseUrl, { email: "ana.reyes@example.com", connected: true });
  await sandbox().deleteContact(me.contact.contact_id);
  await sandbox().clearCalls();
  expect((await me.b.post("/account/profile", EDIT)).status).toBe(302);
  const jobIds = (queue.sent as Array<{ jobId: string }>).map((m) => m.jobId);
  expect(jobIds).toHaveLength(1);
  return { env, jobIds, ...me };
}

async function expectLinkEnded(env: WorkerEnv, customerId: string, b: { get(path: string): Promise<Response> }) {
  const { customer } = await loadCustomer(databaseUrl, customerId);
  expect(customer).toMatchObject({ zohoSyncStatus: "skipped", zohoReviewReason: "contact_deleted", zohoContactId: null, zohoLinkBasis: null });
  expect(customer.zohoSyncError).toMatch(/deleted in Zoho Books/);
  expect(await zohoSide(customerId)).toMatchObject([{ outcome: "skipped", zohoCalls: 0 }]);
  expect(await (await b.get("/account/orders")).text()).toContain("our team is checking which orders are yours");
  const admin = await signedIn(env, databaseUrl, "admin");
  const page = await (await admin.get(`/admin/customers/${customerId}`)).text();
  expect(page).toContain("Linked Zoho contact was deleted");
  expect(page).toContain("Zoho Books answered that it was deleted, so the link ended");
}

describe("a linked customer's profile edit meets a contact deleted in Zoho", () => {
  it("with the mirror on: one read, its 404 ends the link (review, history hidden), the mirror marks the contact; a redelivery changes nothing", async () => {
    const { env, jobIds, b, customerId, contact } = await anaEditsAfterDeletion("on");
    expect(await mirrorRow(contact.contact_id)).toEqual({ deleted: false });
    await deliver(env, jobIds);
    expect(await booksCalls()).toEqual(["GET /books/v3/contacts/:id 404"]);
    await expectLinkEnded(env, customerId, b);
    expect(await mirrorRow(contact.contact_id)).toEqual({ deleted: true });
    expect(await updateEvents(customerId)).toMatchObject([{ outcome: "profile_not_sent", error: expect.stringMatching(/no longer exists: Zoho Books answered that it was deleted/) }]);
    expect(await (await b.get("/account")).text()).toContain("Saved here; not sent to our accounts system");

    await deliver(env, jobIds); // Cloudflare redelivers: the job is done, nothing runs twice
    expect(await booksCalls()).toHaveLength(1);
    expect(await zohoSide(customerId)).toHaveLength(1);
  });

  it("with the mirror off: the same, and no row is made up in the mirror", async () => {
    const { env, jobIds, b, customerId } = await anaEditsAfterDeletion("off");
    await deliver(env, jobIds);
    expect(await booksCalls()).toEqual(["GET /books/v3/contacts/:id 404"]);
    await expectLinkEnded(env, customerId, b);
    expect(await sql(databaseUrl, "select contact_id from zoho_mirror_contacts")).toEqual([]);
  });

  it("Zoho's \"Invalid URL\" 404 (a wrong address, not a deleted contact) ends no link and marks nothing", async () => {
    const { env, queue } = testEnv(databaseUrl, { MIRROR_FULL_READ_DAILY_CALLS: "200" });
    await connectZoho(env);
    await completeMirror(env);
    const { b, customerId, contact } = await linkedCustomer(env, databaseUrl, { email: "ana.reyes@example.com", connected: true });
    await sandbox().addFault({ method: "GET", path: `/books/v3/contacts/${contact.contact_id}`, status: 404, code: 5, message: "Invalid URL Passed" });
    await sandbox().clearCalls();
    await b.post("/account/profile", EDIT);
    await deliver(env, (queue.sent as Array<{ jobId: string }>).map((m) => m.jobId));
    expect(await booksCalls()).toContain("GET /books/v3/contacts/:id 404");
    const { customer } = await loadCustomer(databaseUrl, customerId);
    expect(customer).toMatchObject({ zohoSyncStatus: "synced", zohoContactId: contact.contact_id, zohoLinkBasis: "verified_email", zohoReviewReason: null });
    expect(await zohoSide(customerId)).toEqual([]);
    expect(await mirrorRow(contact.contact_id)).toEqual({ deleted: false });
    expect(await updateEvents(customerId)).not.toContainEqual(expect.objectContaining({ outcome: "profile_not_sent" }));
  });
});

describe("an admin's link check meets a contact deleted in Zoho", () => {
  it("confirming a link to it is refused with why, and the customer's link ends (review contact_deleted)", async () => {
    const { env } = testEnv(databaseUrl);
    const { b, customerId, contact } = await linkedCustomer(env, databaseUrl, { email: "ana.reyes@example.com" });
    await sandbox().deleteContact(contact.contact_id);
    await sandbox().clearCalls();
    const admin = await signedIn(env, databaseUrl, "admin");
    const res = await admin.post(`/admin/customers/${customerId}`, { intent: "confirm", contactId: contact.contact_id });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("It was deleted in Zoho Books: the link to it ended");
    expect(await booksCalls()).toEqual(["GET /books/v3/contacts/:id 404"]);
    const { customer } = await loadCustomer(databaseUrl, customerId);
    expect(customer).toMatchObject({ zohoSyncStatus: "skipped", zohoReviewReason: "contact_deleted", zohoContactId: null });
    expect(await (await b.get("/account/orders")).text()).toContain("our team is checking which orders are yours");
  });
});
