// A link stays true (issue 20 item 4): when the mirror sees the linked contact change in Zoho — merged, deleted,
// made inactive, another email — the customer ends where the link policy says, admins read why (the customer page,
// the review list's reason, the sync timeline) and the customer reads a truthful state on the account and orders
// pages. Re-vetting costs no Zoho call; replays change nothing twice. The weekly full pass finds deletions no
// filter shows, and resumes after a crash. The sandbox's own webhook deliveries reach the portal's endpoint.
import { describe, expect, it } from "vitest";
import type { WorkerEnv } from "~/context.server";
import { customers } from "~/db/schema";
import { revetLinksFromMirror } from "~/sync/mirror-revet.server";
import { readChangesNow, weeklyPassStep } from "~/zoho/mirror/read.server";
import { browser, type Browser } from "./support/browser";
import { sql, testDb } from "./support/database";
import { createUser, loadCustomer } from "./support/factories";
import { freshWorldPerTest } from "./support/fresh-world";
import { booksCalls, completeMirror, mirrorEnv as mirrorEnvOf, withApp } from "./support/mirror-world";
import { signedIn } from "./support/sign-in";
import { bindings } from "./support/worker-env";
import { connectZoho, sandbox } from "./support/zoho-sandbox";

let databaseUrl: string;
freshWorldPerTest((url) => (databaseUrl = url));

const SECRET = "webhook-secret-0123456789";
const mirrorEnv = () => mirrorEnvOf(databaseUrl, { MIRROR_FULL_READ_DAILY_CALLS: "200", ZOHO_WEBHOOK_SECRET: SECRET });

/** The scheduled read of Zoho's changes, then the re-vetting the maintenance runs after it. */
const changesSeen = (env: WorkerEnv) =>
  withApp(env, async (app) => {
    await readChangesNow(app);
    return revetLinksFromMirror(app.db);
  });

/** A signed-in customer whose verified email is the contact's, linked to it by that email. */
async function linkedTo(env: WorkerEnv, contact: { contact_id: string; contact_name: string; email: string }) {
  const user = await createUser(databaseUrl, { role: "customer", email: contact.email });
  const { db, close } = testDb(databaseUrl);
  let customerId: string;
  try {
    [{ id: customerId }] = await db
      .insert(customers)
      .values({
        userId: user.id, firstName: "Linked", lastName: "Customer", email: user.email, phone: "+639170000001", deliveryMethod: "pickup",
        isReturningCustomer: true, zohoSyncStatus: "synced", zohoContactId: contact.contact_id, zohoContactName: contact.contact_name,
        zohoContactEmail: contact.email, zohoMatchType: "email", zohoLinkBasis: "verified_email", zohoLinkedAt: new Date(),
      })
      .returning({ id: customers.id });
  } finally {
    await close();
  }
  const b = browser(env);
  await b.post("/login", { email: user.email, password: user.password, redirectTo: "" });
  return { b, customerId };
}

/**
 * A connected shop whose mirror is complete and fresh, Zoho holding the seed and what `inZohoFirst` adds before the
 * read, and a signed-in customer linked by verified email to the seed's Ana Reyes.
 */
async function linkedAnaInMirror<T>(inZohoFirst?: () => Promise<T>) {
  const env = mirrorEnv();
  await connectZoho(env);
  const added = await inZohoFirst?.();
  await completeMirror(env);
  const contact = await ana();
  const { b, customerId } = await linkedTo(env, contact);
  return { env, contact, added: added as T, b, customerId };
}

const invoiceRows = (html: string) => [...html.matchAll(/<td>(INV-[\w-]+)<\/td>/g)].map((m) => m[1]);
const ordersPage = async (b: Browser) => (await b.get("/account/orders")).text();
const zohoSide = async (customerId: string) => (await loadCustomer(databaseUrl, customerId)).events.filter((e) => e.action === "link_revetted_zoho");
const ana = async () => (await sandbox().listContacts()).find((c) => c.contact_name === "Ana Reyes")!;

async function adminSees(env: WorkerEnv, customerId: string) {
  const admin = await signedIn(env, databaseUrl, "admin");
  return (await admin.get(`/admin/customers/${customerId}`)).text();
}

describe("a link re-vetted when its contact changes in Zoho", () => {
  it("merged: re-linked to the surviving contact with the customer's verified email; the moved invoices show; no extra call", async () => {
    const { env, contact: merged, added: survivor, b, customerId } = await linkedAnaInMirror(() => sandbox().addContact({ contact_name: "Ana Reyes (main)", email: "ana.reyes@example.com" }));
    expect(invoiceRows(await ordersPage(b))).toHaveLength(25);

    await sandbox().mergeContact(merged.contact_id, survivor.contact_id);
    await sandbox().clearCalls();
    expect(await changesSeen(env)).toMatchObject({ relinked: 1 });
    // Only the scheduled read's two calls: re-vetting asked Zoho nothing.
    expect((await booksCalls()).map((c) => c.path)).toEqual(["/books/v3/contacts", "/books/v3/invoices"]);
    const { customer } = await loadCustomer(databaseUrl, customerId);
    expect(customer).toMatchObject({ zohoSyncStatus: "synced", zohoContactId: survivor.contact_id, zohoLinkBasis: "verified_email", zohoReviewReason: null });
    expect(await zohoSide(customerId)).toMatchObject([{ outcome: "synced", zohoCalls: 0 }]);
    expect(invoiceRows(await ordersPage(b))).toHaveLength(25); // Ana's invoices, now the survivor's

    // A replay of the same changes (a second read, a re-vet run) changes nothing.
    await changesSeen(env);
    expect(await zohoSide(customerId)).toHaveLength(1);
  });

  it("merged, told by a webhook before the copy knows every contact with the email: no re-link until a scheduled read shows them all (two: review)", async () => {
    const { env, contact: merged, added: shop, customerId } = await linkedAnaInMirror(() => sandbox().addContact({ contact_name: "Ana Reyes (shop)", email: "ana.reyes@example.com" }));
    const home = await sandbox().addContact({ contact_name: "Ana Reyes (home)", email: "ana.reyes@example.com" });
    await sandbox().mergeContact(merged.contact_id, shop.contact_id);
    // The merge's delivery arrives first; the copy knows the shop contact (read before) but not the home one yet.
    const post = () => browser(env).request("/api/zoho/webhook", { method: "POST", headers: { "Content-Type": "application/json", "X-Webhook-Secret": SECRET }, body: JSON.stringify({ contact_id: merged.contact_id }) });
    expect((await post()).status).toBe(200);
    expect((await loadCustomer(databaseUrl, customerId)).customer).toMatchObject({ zohoContactId: merged.contact_id });
    await changesSeen(env);
    const { customer } = await loadCustomer(databaseUrl, customerId);
    expect(customer).toMatchObject({ zohoSyncStatus: "skipped", zohoReviewReason: "contact_merged", zohoContactId: merged.contact_id });
    expect(new Set((customer.zohoSyncCandidates ?? []).map((c: { contactId: string }) => c.contactId))).toEqual(new Set([shop.contact_id, home.contact_id]));
  });

  it("merged into a contact another account holds: review with the candidate, history hidden", async () => {
    const { env, contact: merged, added: survivor, b, customerId } = await linkedAnaInMirror(() => sandbox().addContact({ contact_name: "Ana Reyes (main)", email: "ana.reyes@example.com" }));
    await linkedTo(env, { ...survivor, email: "someone.else@example.com" });
    await sandbox().mergeContact(merged.contact_id, survivor.contact_id);
    await changesSeen(env);
    const { customer } = await loadCustomer(databaseUrl, customerId);
    expect(customer).toMatchObject({ zohoSyncStatus: "skipped", zohoReviewReason: "contact_merged", zohoContactId: merged.contact_id });
    expect(customer.zohoSyncCandidates).toMatchObject([{ contactId: survivor.contact_id }]);
    expect(invoiceRows(await ordersPage(b))).toEqual([]);
    expect(await ordersPage(b)).toContain("our team is checking which orders are yours");
  });

  it("made inactive: review, history hidden while it is; active again: the link is as before", async () => {
    const { env, contact, b, customerId } = await linkedAnaInMirror();
    await sandbox().editContact(contact.contact_id, { status: "inactive" });
    await changesSeen(env);
    expect((await loadCustomer(databaseUrl, customerId)).customer).toMatchObject({ zohoSyncStatus: "skipped", zohoReviewReason: "contact_inactive", zohoContactId: contact.contact_id });
    const orders = await ordersPage(b);
    expect(invoiceRows(orders)).toEqual([]);
    expect(orders).toContain("our team is checking which orders are yours");
    expect(await (await b.get("/account")).text()).toContain("our team is checking which orders are yours");
    const page = await adminSees(env, customerId);
    expect(page).toContain("Linked Zoho contact made inactive");
    expect(page).toContain("Zoho link re-checked after a change in Zoho");
    expect(await (await signedIn(env, databaseUrl, "admin")).get("/admin/customers?reason=contact_inactive").then((r) => r.text())).toContain(`/admin/customers/${customerId}`);

    await sandbox().editContact(contact.contact_id, { status: "active" });
    await changesSeen(env);
    expect((await loadCustomer(databaseUrl, customerId)).customer).toMatchObject({ zohoSyncStatus: "synced", zohoReviewReason: null });
    expect(invoiceRows(await ordersPage(b))).toHaveLength(25);
  });

  it("another email in Zoho: review, history hidden; replays harmless; the email back restores the link", async () => {
    const { env, contact, b, customerId } = await linkedAnaInMirror();
    await sandbox().editContact(contact.contact_id, { email: "somebody.else@shoppers.example" });
    await changesSeen(env);
    await changesSeen(env);
    const post = () => browser(env).request("/api/zoho/webhook", { method: "POST", headers: { "Content-Type": "application/json", "X-Webhook-Secret": SECRET }, body: JSON.stringify({ contact_id: contact.contact_id }) });
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(200);
    const { customer } = await loadCustomer(databaseUrl, customerId);
    expect(customer).toMatchObject({ zohoSyncStatus: "skipped", zohoReviewReason: "zoho_email_changed", zohoContactId: contact.contact_id });
    expect(customer.zohoSyncError).toContain("somebody.else@shoppers.example");
    expect(await zohoSide(customerId)).toHaveLength(1);
    expect(invoiceRows(await ordersPage(b))).toEqual([]);
    expect(await adminSees(env, customerId)).toContain("Email changed in Zoho");

    await sandbox().editContact(contact.contact_id, { email: "ana.reyes@example.com" });
    await changesSeen(env);
    expect((await loadCustomer(databaseUrl, customerId)).customer).toMatchObject({ zohoSyncStatus: "synced", zohoReviewReason: null });
    expect(invoiceRows(await ordersPage(b))).toHaveLength(25);
  });

  it("deleted, told by the sandbox's own webhook delivery: the contact is marked, the link ends, history hidden", async () => {
    const { env, contact, b, customerId } = await linkedAnaInMirror();
    // The sandbox posts as Zoho would; workerd cannot listen, so its delivery lands on the sandbox's stand-in
    // address and is handed to the Worker exactly as sent (path, query, headers, body).
    await sandbox().configureWebhook({ url: `${bindings.TEST_SANDBOX_URL}/__hooks/portal/api/zoho/webhook`, secret: SECRET });
    await sandbox().deleteContact(contact.contact_id);
    let sent: Awaited<ReturnType<ReturnType<typeof sandbox>["webhooks"]>> = [];
    for (let i = 0; i < 100 && !sent.length; i++) {
      sent = (await sandbox().webhooks()).filter((w) => w.path === "/__hooks/portal/api/zoho/webhook");
      if (!sent.length) await new Promise((r) => setTimeout(r, 20));
    }
    expect(sent).toHaveLength(1);
    const delivery = sent[0];
    const headers = { "Content-Type": "application/json", "X-Webhook-Secret": delivery.headers!["x-webhook-secret"]! };
    const res = await browser(env).request(`/api/zoho/webhook`, { method: "POST", headers, body: JSON.stringify(delivery.body) });
    expect(await res.json()).toMatchObject({ ok: true, outcome: "deleted" });

    const { customer } = await loadCustomer(databaseUrl, customerId);
    expect(customer).toMatchObject({ zohoSyncStatus: "skipped", zohoReviewReason: "contact_deleted", zohoContactId: null, zohoLinkBasis: null });
    expect(customer.zohoSyncError).toMatch(/deleted in Zoho Books/);
    expect(await ordersPage(b)).toContain("our team is checking which orders are yours");
    expect(await adminSees(env, customerId)).toContain("Linked Zoho contact was deleted");
    // The same delivery again (Zoho retries): nothing changes twice.
    await browser(env).request(`/api/zoho/webhook`, { method: "POST", headers, body: JSON.stringify(delivery.body) });
    expect(await zohoSide(customerId)).toHaveLength(1);
    // A wrong secret changes nothing (the endpoint's own tests cover the rest).
    expect((await browser(env).request(`/api/zoho/webhook`, { method: "POST", headers: { ...headers, "X-Webhook-Secret": "wrong" }, body: "{}" })).status).toBe(401);
  });
});

describe("the weekly full pass", () => {
  it("finds a contact deleted in Zoho (no filter shows it) page by page, resumes after a crash, and the link ends", async () => {
    const { env, contact, customerId } = await linkedAnaInMirror(async () => {
      for (let i = 0; i < 230; i++) await sandbox().addContact({ contact_name: `Bulk ${i}`, email: `bulk${i}@pass.example` });
    });
    await sandbox().deleteContact(contact.contact_id);
    // Not due until a week after the first full read.
    expect(await withApp(env, (app) => weeklyPassStep(app))).toMatchObject({ pages: 0, stoppedBy: "not due" });
    await sql(databaseUrl, "update zoho_mirror_state set full_read_done_at = now() - interval '8 days'");
    await sandbox().clearCalls();

    expect(await withApp(env, (app) => weeklyPassStep(app, 1))).toMatchObject({ pages: 1, done: false });
    await sandbox().addFault({ method: "GET", path: "/books/v3/contacts", status: 500, code: 1, count: 1 });
    expect(await withApp(env, (app) => weeklyPassStep(app))).toMatchObject({ pages: 0, done: false }); // the crash
    expect(await withApp(env, (app) => weeklyPassStep(app))).toMatchObject({ done: true });
    const pages = (await booksCalls()).filter((c) => c.path === "/books/v3/contacts").map((c) => `${c.query.page}:${c.status}`);
    expect(pages).toEqual(["1:200", "2:500", "2:200"]); // page 1 never read twice
    // What no page carried is read by id before it is called deleted (a deletion during a pass shifts pages): 404.
    const byId = (await booksCalls()).filter((c) => c.path.startsWith("/books/v3/contacts/")).map((c) => `${c.path.split("/").at(-1)}:${c.status}`);
    expect(byId).toContain(`${contact.contact_id}:404`);
    const [row] = (await sql(databaseUrl, "select deleted_at is not null as deleted from zoho_mirror_contacts where contact_id = $1", [contact.contact_id])) as Array<{ deleted: boolean }>;
    expect(row.deleted).toBe(true);
    const [{ n }] = (await sql(databaseUrl, "select count(*)::int as n from zoho_mirror_contacts where deleted_at is not null")) as Array<{ n: number }>;
    expect(n).toBe(1);

    await withApp(env, (app) => revetLinksFromMirror(app.db));
    expect((await loadCustomer(databaseUrl, customerId)).customer).toMatchObject({ zohoSyncStatus: "skipped", zohoReviewReason: "contact_deleted", zohoContactId: null });
    // The next pass is a week away.
    expect(await withApp(env, (app) => weeklyPassStep(app))).toMatchObject({ stoppedBy: "not due" });
  });
});
