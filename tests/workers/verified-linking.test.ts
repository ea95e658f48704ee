// Issue 11 through the real Worker: the admin's side of verified linking (Confirm link, the existing
// link of an already linked contact, Confirm all suggested links, the reason filter) and the order
// history gate. Users are marked verified directly in the database: the mail flow is another module's.
import { describe, expect, it } from "vitest";
import { browser } from "./support/browser";
import { sql } from "./support/database";
import { createCustomerWithJob, createUser, loadCustomer } from "./support/factories";
import { deliver } from "./support/queue-delivery";
import { signedIn } from "./support/sign-in";
import { testEnv } from "./support/worker-env";
import { connectZoho, sandbox } from "./support/zoho-sandbox";
import { freshWorldPerTest } from "./support/fresh-world";

let databaseUrl: string;
freshWorldPerTest((url) => (databaseUrl = url));

type Env = ReturnType<typeof testEnv>["env"];
const admin = (env: Env) => signedIn(env, databaseUrl, "admin");
const invoiceRows = (html: string) => [...html.matchAll(/<td>(INV-\d+)<\/td>/g)].map((m) => m[1]);

/** A registered customer (portal login) whose sync job has run; verified = the owner proved the email. */
async function registeredCustomer(env: Env, person: { firstName: string; lastName: string; email: string }, verified: boolean) {
  const user = await createUser(databaseUrl, { role: "customer", email: person.email, verified });
  const { customer, job } = await createCustomerWithJob(databaseUrl, { returning: true, ...person });
  await sql(databaseUrl, "update customers set user_id = $1 where id = $2", [user.id, customer.id]);
  await deliver(env, [job.id]);
  const b = browser(env);
  expect((await b.post("/login", { email: user.email, password: user.password, redirectTo: "" })).status).toBe(302);
  return { customer, user, browser: b };
}

async function invoiceCalls() {
  return (await sandbox().calls()).filter((c) => c.path === "/books/v3/invoices").length;
}

/** The "why it needs an admin" badge in the list row of the customer with this email (undefined: no such row). */
function reasonInRow(html: string, email: string): string | null | undefined {
  const row = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1]).find((r) => r.includes(`<td>${email}</td>`));
  if (row === undefined) return undefined;
  return row.match(/class="reason-badge"[^>]*>([^<]*)</)?.[1] ?? null;
}

describe("order history only behind a verified link", () => {
  it("a stranger registered with an address that sits on a Zoho contact is never linked and sees no invoice", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const stranger = await registeredCustomer(env, { firstName: "Ana", lastName: "Reyes", email: "ana.reyes@example.com" }, false);
    // The job of an unverified account is never claimed (the job store's gate): no link, no Zoho call.
    expect((await loadCustomer(databaseUrl, stranger.customer.id)).customer).toMatchObject({ zohoContactId: null, zohoSyncStatus: "pending" });
    expect(await sandbox().calls()).toHaveLength(0);
    await sandbox().clearCalls();
    const orders = await (await stranger.browser.get("/account/orders")).text();
    expect(invoiceRows(orders)).toHaveLength(0);
    expect(orders).toContain("Please verify your email address to see your orders");
    expect(await (await stranger.browser.get("/account")).text()).toContain("once you confirm your email address");
    expect(await invoiceCalls()).toBe(0);
  });

  it("an existing account linked before verification sees a verify notice and costs no Zoho call, then its orders once verified", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const { customer, user, browser: b } = await registeredCustomer(env, { firstName: "Ana", lastName: "Reyes", email: "ana.reyes@example.com" }, false);
    // A link the old rule made by email before anyone proved the address (as migration 0008 leaves it).
    const ana = (await sandbox().listContacts()).find((c) => c.contact_name === "Ana Reyes")!;
    await sql(databaseUrl, "update customers set zoho_sync_status = 'synced', zoho_contact_id = $1, zoho_match_type = 'email', zoho_link_basis = null where id = $2", [ana.contact_id, customer.id]);
    await sandbox().clearCalls();
    expect(await (await b.get("/account/orders")).text()).toContain("Please verify your email address");
    expect(await invoiceCalls()).toBe(0);
    // The owner proves the address: the email link now counts (database trigger), and the orders show.
    await sql(databaseUrl, "update users set email_verified_at = now() where id = $1", [user.id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer.zohoLinkBasis).toBe("verified_email");
    expect(invoiceRows(await (await b.get("/account/orders")).text())).toHaveLength(25);
  });

  it("a verified customer with a link nobody proved sees that it is being checked, and no invoice", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const { customer, browser: b } = await registeredCustomer(env, { firstName: "Ana", lastName: "Reyes", email: "ana.reyes@example.com" }, true);
    await sql(databaseUrl, "update customers set zoho_link_basis = null where id = $1", [customer.id]);
    await sandbox().clearCalls();
    const page = await (await b.get("/account/orders")).text();
    expect(page).toContain("Our team checks them before showing them here");
    expect(invoiceRows(page)).toHaveLength(0);
    expect(await invoiceCalls()).toBe(0);
  });

  it("a verified customer linked by email sees their invoices", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const { browser: b } = await registeredCustomer(env, { firstName: "Ana", lastName: "Reyes", email: "ana.reyes@example.com" }, true);
    expect(invoiceRows(await (await b.get("/account/orders")).text())).toHaveLength(25);
  });
});

describe("admin review of suggested links", () => {
  it("a name-only match waits for an admin's Confirm link; the detail shows account beside contact; then the customer sees invoices", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const { customer, browser: b } = await registeredCustomer(env, { firstName: "Juan", lastName: "Dela Cruz", email: "juan.new@elsewhere.example" }, true);
    expect(await (await b.get("/account/orders")).text()).toContain("Our team checks them");
    const a = await admin(env);
    const detail = await (await a.get(`/admin/customers/${customer.id}`)).text();
    expect(detail).toContain("Matched by name only");
    expect(detail).toContain("Confirm link");
    expect(detail).toContain("The emails differ: the account uses juan.new@elsewhere.example, Zoho has juan@example.com.");
    const contactId = (await loadCustomer(databaseUrl, customer.id)).customer.zohoSyncCandidates![0].contactId;
    expect((await a.post(`/admin/customers/${customer.id}`, { intent: "confirm", contactId })).status).toBe(302);
    const { customer: after, events } = await loadCustomer(databaseUrl, customer.id);
    expect(after).toMatchObject({ zohoSyncStatus: "manual", zohoContactId: contactId, zohoLinkBasis: "admin", zohoReviewReason: null });
    expect(events.at(-1)).toMatchObject({ action: "admin_confirm", outcome: "manual" });
    const juanInvoices = invoiceRows(await (await b.get("/account/orders")).text());
    expect(juanInvoices.length).toBeGreaterThan(0);
  });

  it("a second account claiming a linked contact goes to review; the admin sees the existing link and a confirm is refused clearly", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const owner = await registeredCustomer(env, { firstName: "Ana", lastName: "Reyes", email: "ana.reyes@example.com" }, true);
    const claimer = await registeredCustomer(env, { firstName: "Ana", lastName: "Reyes", email: "ana.claims@example.net" }, true);
    expect((await loadCustomer(databaseUrl, claimer.customer.id)).customer).toMatchObject({ zohoSyncStatus: "skipped", zohoReviewReason: "contact_already_linked" });
    const a = await admin(env);
    const detail = await (await a.get(`/admin/customers/${claimer.customer.id}`)).text();
    expect(detail).toContain("Already linked to");
    expect(detail).toContain(`href="/admin/customers/${owner.customer.id}"`);
    expect(detail).toContain("ana.reyes@example.com");
    const contactId = (await loadCustomer(databaseUrl, owner.customer.id)).customer.zohoContactId!;
    const refused = await a.post(`/admin/customers/${claimer.customer.id}`, { intent: "confirm", contactId });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("is already linked to Ana Reyes (ana.reyes@example.com)");
    expect((await loadCustomer(databaseUrl, claimer.customer.id)).customer.zohoContactId).toBeNull();
    expect(invoiceRows(await (await claimer.browser.get("/account/orders")).text())).toHaveLength(0);
  });

  it("the list says why each customer needs an admin and filters by it", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    await registeredCustomer(env, { firstName: "Juan", lastName: "Dela Cruz", email: "juan.new@elsewhere.example" }, true);
    await registeredCustomer(env, { firstName: "Ana", lastName: "Reyes", email: "ana.reyes@example.com" }, true);
    await registeredCustomer(env, { firstName: "Ana", lastName: "Reyes", email: "ana.claims@example.net" }, true);
    const a = await admin(env);
    // Read from each customer's row (the filter's dropdown names every reason on every page).
    const all = await (await a.get("/admin/customers")).text();
    expect(reasonInRow(all, "juan.new@elsewhere.example")).toBe("Matched by name only");
    expect(reasonInRow(all, "ana.claims@example.net")).toBe("Contact already linked to another account");
    expect(reasonInRow(all, "ana.reyes@example.com")).toBeNull(); // linked: nothing for an admin to do
    const filtered = await (await a.get("/admin/customers?reason=name_only")).text();
    expect(reasonInRow(filtered, "juan.new@elsewhere.example")).toBe("Matched by name only");
    expect(reasonInRow(filtered, "ana.claims@example.net")).toBeUndefined();
    expect(reasonInRow(filtered, "ana.reyes@example.com")).toBeUndefined();
  });

  it("Confirm all suggested links asks first, then links only verified single suggestions nobody else holds", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const juan = await registeredCustomer(env, { firstName: "Juan", lastName: "Dela Cruz", email: "juan.new@elsewhere.example" }, true);
    const ben = await registeredCustomer(env, { firstName: "Ben", lastName: "Santos", email: "ben.new@elsewhere.example" }, true);
    // Unverified: its job never runs (no suggestion, no Zoho call), and a bulk confirm leaves it alone.
    const unverified = await registeredCustomer(env, { firstName: "Maria", lastName: "Santos", email: "maria.new@elsewhere.example" }, false);
    const a = await admin(env);
    const list = await (await a.get("/admin/customers")).text();
    expect(list).toContain("Confirm all suggested links (2)");
    const confirmStep = await (await a.get("/admin/customers?confirm=all")).text();
    expect(confirmStep).toContain("Yes, confirm 2 links");
    const stale = await a.post("/admin/customers?index", { intent: "confirm_all", expected: "3" });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain("changed to 2");
    expect((await a.post("/admin/customers?index", { intent: "confirm_all", expected: "2" })).status).toBe(302);
    for (const c of [juan, ben]) expect((await loadCustomer(databaseUrl, c.customer.id)).customer).toMatchObject({ zohoSyncStatus: "manual", zohoLinkBasis: "admin" });
    expect((await loadCustomer(databaseUrl, unverified.customer.id)).customer).toMatchObject({ zohoSyncStatus: "pending", zohoContactId: null });
    expect(await (await a.get("/admin/customers")).text()).not.toContain("Confirm all suggested links (");
  });
});
