// The customer's own account (issue 19, items 3 and 4): editing the details, changing the email (with the Zoho
// link re-vetted and a 7-day undo), deleting the account (no personal data left, no Zoho call), downloading
// the data, and an account taken back by its address's owner starting clean.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mailsTo, waitForMail } from "@tools/local-stack/mail-inbox";
import { personalColumns } from "~/db/personal-data";
import { hashPassword } from "~/auth/password.server";
import { browser } from "./support/browser";
import { freshDatabase, sql } from "./support/database";
import { jobRowsOf } from "./support/jobs";
import { codeFromMail, linkFromMail, press, registerThroughSteps, signInAs } from "./support/mail-links";
import { runCron } from "./support/queue-delivery";
import { signedIn } from "./support/sign-in";
import { bindings, testEnv } from "./support/worker-env";
import { connectZoho, sandbox } from "./support/zoho-sandbox";

let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await freshDatabase();
});
beforeEach(async () => {
  await sql(databaseUrl, "truncate auth_throttle");
});

const inboxUrl = () => bindings.TEST_MAIL_INBOX_URL;
let n = 0;
const newEmail = (tag: string) => `${tag}${++n}-${crypto.randomUUID().slice(0, 8)}@members.example`;
const PASSWORD = "my own long password";

type Env = ReturnType<typeof testEnv>["env"];

/**
 * A confirmed customer, signed in, linked by their verified email to the sandbox's Ana Reyes (30 invoices);
 * the contact's address as Zoho had it at link time is `email` itself.
 */
async function linkedCustomer(env: Env, person: { firstName: string; lastName: string; phone: string; address: string }) {
  await connectZoho(env);
  const ana = (await sandbox().listContacts()).find((c) => c.contact_name === "Ana Reyes")!;
  const email = newEmail("linked");
  // One contact, one account: an earlier test's customer lets go of it.
  await sql(databaseUrl, "update customers set zoho_contact_id = null, zoho_link_basis = null where zoho_contact_id = $1", [ana.contact_id]);
  const [user] = (await sql(databaseUrl, "insert into users (email, password_hash, role, email_verified_at) values ($1, $2, 'customer', now()) returning id", [email, await hashPassword(PASSWORD)])) as Array<{ id: string }>;
  const [customer] = (await sql(
    databaseUrl,
    `insert into customers (user_id, first_name, last_name, email, phone, delivery_method, address_line1, city, province, postal_code, is_returning_customer,
       zoho_sync_status, zoho_contact_id, zoho_contact_name, zoho_contact_email, zoho_match_type, zoho_link_basis, zoho_linked_at)
     values ($1, $2, $3, $4, $5, 'delivery', $6, 'Makati', 'Metro Manila', '1200', true, 'synced', $7, 'Ana Reyes', $4, 'email', 'verified_email', now()) returning id`,
    [user.id, person.firstName, person.lastName, email, person.phone, person.address, ana.contact_id],
  )) as Array<{ id: string }>;
  const b = browser(env);
  await signInAs(b, email, PASSWORD);
  return { b, email, userId: user.id, customerId: customer.id, contactId: ana.contact_id as string };
}

async function customerRow(id: string) {
  const [row] = (await sql(databaseUrl, "select * from customers where id = $1", [id])) as Array<Record<string, unknown>>;
  return row;
}

async function timeline(customerId: string) {
  return (await sql(databaseUrl, "select action, outcome, details, error from zoho_sync_events where customer_id = $1 order by id", [customerId])) as Array<{ action: string; outcome: string; details: unknown; error: string | null }>;
}

describe("editing my details", () => {
  it("uses registration's rules (errors next to the field), saves, and records which fields changed (not their values)", async () => {
    const { env } = testEnv(databaseUrl);
    const me = await linkedCustomer(env, { firstName: "Lorna", lastName: "Tan", phone: "+639171110000", address: "5 Luna St" });
    const form = await (await me.b.get("/account/profile")).text();
    expect(form).toContain('value="Lorna"');
    const fields = { firstName: "Lorna", lastName: "Tan-Cruz", deliveryMethod: "delivery", addressLine1: "9 Bonifacio Ave", city: "Makati", province: "Metro Manila", postalCode: "1200" };
    const bad = await me.b.post("/account/profile", { ...fields, phone: "12345" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Enter a mobile number like 0917 123 4567");
    expect((await customerRow(me.customerId)).last_name).toBe("Tan");
    const saved = await me.b.post("/account/profile", { ...fields, phone: "0917 222 3333" });
    expect(saved.headers.get("Location")).toBe("/account");
    expect(await customerRow(me.customerId)).toMatchObject({ last_name: "Tan-Cruz", phone: "+639172223333", address_line1: "9 Bonifacio Ave" });
    const [event] = (await timeline(me.customerId)).filter((e) => e.action === "profile_updated");
    expect(event).toMatchObject({ outcome: "customer", details: { fields: ["lastName", "phone", "addressLine1"] } });
    expect(JSON.stringify(event)).not.toContain("Bonifacio");
  });
});

describe("changing my email address", () => {
  it("mails both addresses; until confirmed sign-in and reset keep the old one; Confirm (signed in) changes it and re-vets the Zoho link; the old address undoes it", async () => {
    const { env } = testEnv(databaseUrl);
    const me = await linkedCustomer(env, { firstName: "Mara", lastName: "Lim", phone: "+639171112222", address: "3 Rizal St" });
    const next = newEmail("moved");
    expect((await me.b.post("/account/email", { newEmail: next, password: "not my password" })).status).toBe(400);
    expect((await me.b.post("/account/email", { newEmail: next, password: PASSWORD })).headers.get("Location")).toBe("/account");
    expect(await (await me.b.get("/account")).text()).toContain("Your new email address is waiting for confirmation");
    const confirmLink = await linkFromMail(next, /Confirm your new email address/, "/confirm-email-change");
    const undoLink = await linkFromMail(me.email, /is being changed/, "/undo-email-change");
    // Not confirmed yet: the old address signs in and gets resets; the new one does neither.
    expect((await browser(env).post("/login", { email: next, password: PASSWORD, redirectTo: "" })).status).toBe(400);
    await signInAs(browser(env), me.email, PASSWORD);
    await browser(env).post("/forgot-password", { email: next });
    await browser(env).post("/forgot-password", { email: me.email });
    await waitForMail(inboxUrl(), me.email, /Reset your/);
    expect(await mailsTo(inboxUrl(), next, /Reset your/)).toHaveLength(0);
    // Opened elsewhere, Confirm asks to sign in; signed in, it changes the address.
    expect((await press(browser(env), confirmLink, "confirm")).headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    expect((await press(me.b, confirmLink, "confirm")).headers.get("Location")).toBe("/account");
    expect((await sql(databaseUrl, "select email, email_verified_at is not null as verified from users where id = $1", [me.userId]))[0]).toEqual({ email: next, verified: true });
    await signInAs(browser(env), next, PASSWORD);
    expect((await browser(env).post("/login", { email: me.email, password: PASSWORD, redirectTo: "" })).status).toBe(400);
    // The link was proven by the old address, which the Zoho contact has: review, with the proven history still shown.
    expect(await customerRow(me.customerId)).toMatchObject({ email: next, zoho_sync_status: "skipped", zoho_review_reason: "email_changed", zoho_contact_id: me.contactId, zoho_link_basis: "verified_email" });
    const orders = await (await me.b.get("/account/orders")).text();
    expect(orders).toContain("INV-0000");
    expect((await timeline(me.customerId)).map((e) => e.action)).toEqual(expect.arrayContaining(["email_change_requested", "email_changed", "link_revetted"]));
    // The old address undoes it: its address again, the link as it was, everyone signed out.
    expect((await press(browser(env), undoLink, "undo")).headers.get("Location")).toBe("/forgot-password");
    expect((await sql(databaseUrl, "select email from users where id = $1", [me.userId]))[0]).toEqual({ email: me.email });
    expect(await customerRow(me.customerId)).toMatchObject({ email: me.email, zoho_sync_status: "synced", zoho_review_reason: null });
    expect(await sql(databaseUrl, "select 1 from sessions where user_id = $1", [me.userId])).toHaveLength(0);
    expect((await me.b.get("/account")).headers.get("Location")).toMatch(/^\/login/);
  });

  it("the code from the new address's mail confirms it on the account page; a link we created for the customer still holds", async () => {
    const { env } = testEnv(databaseUrl);
    const me = await linkedCustomer(env, { firstName: "Nico", lastName: "Uy", phone: "+639173334444", address: "8 Mabini St" });
    await sql(databaseUrl, "update customers set zoho_link_basis = 'created', zoho_match_type = 'created' where id = $1", [me.customerId]);
    const next = newEmail("coded");
    await me.b.post("/account/email", { newEmail: next, password: PASSWORD });
    const code = await codeFromMail(next, /Confirm your new email address/);
    expect((await me.b.post("/account", { intent: "confirm-code", code })).headers.get("Location")).toBe("/account");
    expect(await customerRow(me.customerId)).toMatchObject({ email: next, zoho_sync_status: "synced", zoho_review_reason: null });
    expect((await timeline(me.customerId)).find((e) => e.action === "link_revetted")).toMatchObject({ outcome: "link_holds", details: { why: "created" } });
  });

  it("a new address that already has an account gets the same answer, its owner a mail, and nothing can confirm it", async () => {
    const { env } = testEnv(databaseUrl);
    const me = await linkedCustomer(env, { firstName: "Olga", lastName: "Sy", phone: "+639175556666", address: "1 Roxas Blvd" });
    const other = await linkedCustomer(env, { firstName: "Pia", lastName: "Go", phone: "+639177778888", address: "2 Roxas Blvd" });
    const res = await me.b.post("/account/email", { newEmail: other.email, password: PASSWORD });
    expect(res.headers.get("Location")).toBe("/account");
    await waitForMail(inboxUrl(), other.email, /You already have a Cangoods account/);
    expect(await mailsTo(inboxUrl(), other.email, /Confirm your new email address/)).toHaveLength(0);
    expect((await sql(databaseUrl, "select email from users where id = $1", [me.userId]))[0]).toEqual({ email: me.email });
  });
});

describe("throttles on the account page (429 with Retry-After)", () => {
  it("typing the password again: the 6th try within 15 minutes is refused, deletion and email change counting together", async () => {
    const { env } = testEnv(databaseUrl);
    const me = await linkedCustomer(env, { firstName: "Sol", lastName: "Vega", phone: "+639171000001", address: "6 Taft Ave" });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await me.b.post("/account/delete", { password: "a guess" })).status);
    for (let i = 0; i < 2; i++) statuses.push((await me.b.post("/account/email", { newEmail: newEmail("guess"), password: "a guess" })).status);
    const limited = await me.b.post("/account/delete", { password: PASSWORD });
    expect(statuses).toEqual([400, 400, 400, 400, 400]);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await limited.text()).toContain("Too many attempts. Please try again in");
    expect(await sql(databaseUrl, "select 1 from users where id = $1", [me.userId])).toHaveLength(1);
  });

  it("asking for a new address: the 4th request for the same address within the hour is refused", async () => {
    const { env } = testEnv(databaseUrl);
    const me = await linkedCustomer(env, { firstName: "Tess", lastName: "Wong", phone: "+639171000002", address: "7 Taft Ave" });
    const next = newEmail("wanted");
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await me.b.post("/account/email", { newEmail: next, password: PASSWORD })).status);
    expect(statuses).toEqual([302, 302, 302, 429]);
  });
});

describe("deleting my account", () => {
  it("needs the password; then leaves no personal data in any column that holds some, releases the Zoho link, makes no Zoho call, and admins see it", async () => {
    const { env } = testEnv(databaseUrl);
    const me = await linkedCustomer(env, { firstName: "Perla", lastName: "Quizon", phone: "+639175550123", address: "77 Mabini St" });
    // Traces of the person everywhere they can be: cached invoices, throttle keys, mails, drafts, sessions, other rows' notes.
    expect(await (await me.b.get("/account/orders")).text()).toContain("INV-0000");
    await browser(env).post("/login", { email: me.email, password: "a wrong password", redirectTo: "" });
    await browser(env).post("/forgot-password", { email: me.email });
    await registerThroughSteps(browser(env), { email: me.email, password: "somebody else's password" });
    await browser(env).post("/register", { step: "1", intent: "next", firstName: "Perla", lastName: "Quizon", email: me.email, phone: "0917 555 0123" });
    await sql(databaseUrl, "insert into email_outbox (kind, to_address, content, sent_at) values ('alert', 'admin@shop.example', $1, now())", [
      JSON.stringify({ subject: "Zoho sync: 1 customer failed", text: `- Perla Quizon <${me.email}>: timeout`, html: `<li>Perla Quizon &lt;${me.email}&gt;</li>` }),
    ]);
    const [bystander] = (await sql(
      databaseUrl,
      `insert into customers (first_name, last_name, email, phone, delivery_method, zoho_sync_status, zoho_review_reason, zoho_sync_error, zoho_sync_candidates)
       values ('Rico', 'Bystander', $1, '+639170009999', 'pickup', 'skipped', 'contact_already_linked', $2, $3) returning id`,
      [newEmail("bystander"), `The Zoho contact Ana Reyes is already linked to another account (${me.email}); check which account it belongs to`, JSON.stringify([{ contactId: me.contactId, contactName: "Ana Reyes", email: "ana.reyes@example.com", companyName: null }])],
    )) as Array<{ id: string }>;
    await sql(databaseUrl, "insert into zoho_sync_events (customer_id, action, outcome, error) values ($1, 'match', 'skipped', $2)", [bystander.id, `already linked to another account (${me.email})`]);

    expect((await me.b.post("/account/delete", { password: "not my password" })).status).toBe(400);
    expect(await sql(databaseUrl, "select 1 from users where id = $1", [me.userId])).toHaveLength(1);
    await sandbox().clearCalls();
    const gone = await me.b.post("/account/delete", { password: PASSWORD });
    expect(gone.status).toBe(302);
    expect(gone.headers.get("Location")).toBe("/");
    expect(await sandbox().calls()).toEqual([]);
    expect((await me.b.get("/account")).headers.get("Location")).toMatch(/^\/login/);

    // Every column the registry marks personal, in every table, for every piece of the person.
    const traces: string[] = [];
    // One statement per piece (every column counted in it), so the check stays quick as the registry grows.
    for (const value of [me.email, "Quizon", "639175550123", "77 Mabini"]) {
      const counts = personalColumns().map(({ table, column }) => `select '${table}.${column}' as col, count(*)::int as n from ${table} where position(lower($1) in lower(${column}::text)) > 0`);
      const rows = (await sql(databaseUrl, counts.join(" union all "), [value])) as Array<{ col: string; n: number }>;
      for (const row of rows) if (row.n > 0) traces.push(`${row.col} still holds "${value}" (${row.n})`);
    }
    expect(traces).toEqual([]);
    // The invoices cached for the account (the contact's name and orders) went with it.
    expect(await sql(databaseUrl, "select 1 from zoho_invoice_cache where contact_id = $1", [me.contactId])).toHaveLength(0);
    expect(await sql(databaseUrl, "select reason, zoho_contact_id from account_closures where zoho_contact_id = $1", [me.contactId])).toEqual([{ reason: "deleted_by_customer", zoho_contact_id: me.contactId }]);
    // The contact is free for the same person's next account; admins see what happened to it.
    await sql(databaseUrl, "update customers set zoho_contact_id = $1, zoho_link_basis = 'admin' where id = $2", [me.contactId, bystander.id]);
    await sql(databaseUrl, "update customers set zoho_contact_id = null, zoho_link_basis = null where id = $1", [bystander.id]);
    const admin = await signedIn(env, databaseUrl, "admin");
    expect(await (await admin.get(`/admin/customers/${bystander.id}`)).text()).toContain("Account deleted by the customer on");
    expect(await (await admin.get("/admin")).text()).toContain(`Zoho contact ${me.contactId}: account deleted by the customer on`);
  });
});

describe("downloading my data", () => {
  it("is a JSON file of my account, record and timeline, without another person's data", async () => {
    const { env } = testEnv(databaseUrl);
    const me = await linkedCustomer(env, { firstName: "Quin", lastName: "Reyes-Abad", phone: "+639171230000", address: "4 Aguinaldo St" });
    const otherAddress = newEmail("someone-else");
    await sql(databaseUrl, "update customers set zoho_sync_error = $1, zoho_sync_candidates = $2 where id = $3", [
      `The Zoho contact Ana Reyes is already linked to another account (${otherAddress}); check which account it belongs to`,
      JSON.stringify([{ contactId: "99", contactName: "Somebody Else Entirely", email: otherAddress, companyName: null }]),
      me.customerId,
    ]);
    await sql(databaseUrl, "insert into zoho_sync_events (customer_id, action, outcome, error, details) values ($1, 'match', 'skipped', $2, $3)", [
      me.customerId,
      `already linked to another account (${otherAddress})`,
      JSON.stringify({ candidates: ["Somebody Else Entirely"] }),
    ]);
    await me.b.post("/account/profile", { firstName: "Quin", lastName: "Reyes-Abad", phone: "0917 123 0001", deliveryMethod: "pickup" });
    const res = await me.b.get("/account/data");
    expect(res.headers.get("Content-Type")).toContain("application/json");
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="cangoods-my-data-/);
    const text = await res.text();
    const data = JSON.parse(text);
    expect(data.account.email).toBe(me.email);
    expect(data.customer).toMatchObject({ firstName: "Quin", lastName: "Reyes-Abad", phone: "+639171230001", orderHistoryLink: { zohoContactId: me.contactId } });
    expect(data.timeline.map((e: { what: string }) => e.what)).toEqual(expect.arrayContaining(["profile_updated", "match"]));
    expect(data.sessions.length).toBeGreaterThan(0);
    expect(text).not.toContain(otherAddress);
    expect(text).not.toContain("Somebody Else Entirely");
    expect(text).not.toMatch(/password_hash|passwordHash|token_hash|pbkdf2/);
  });
});

describe("an account taken back by its address's owner", () => {
  it("starts clean: the registrant is out, nothing syncs until the owner checked name and delivery, then it does", async () => {
    const { env, queue } = testEnv(databaseUrl);
    await connectZoho(env);
    const email = newEmail("squatted");
    const stranger = browser(env);
    await registerThroughSteps(stranger, { email, firstName: "Not", lastName: "Theowner", customerType: "returning", delivery: { deliveryMethod: "delivery", addressLine1: "1 Stranger Rd", city: "Pasig", province: "Metro Manila", postalCode: "1600" } });
    const confirmLink = await linkFromMail(email, /Confirm your email/, "/verify-email");
    // The owner takes it over with "forgot password".
    await browser(env).post("/forgot-password", { email });
    const resetLink = await linkFromMail(email, /Reset your/, "/reset-password");
    const owner = browser(env);
    const token = new URL(resetLink, "http://x").searchParams.get("token")!;
    expect((await owner.post("/reset-password", { token, password: "the owner's password", confirmPassword: "the owner's password" })).headers.get("Location")).toBe("/login");
    // The browser that registered can no longer confirm, nor can the old link.
    expect((await stranger.get("/register/sent")).headers.get("Location")).toBe("/register");
    const staleToken = new URL(confirmLink, "http://x").searchParams.get("token")!;
    expect((await stranger.post(confirmLink, { token: staleToken, intent: "confirm" })).status).toBe(410);
    await signInAs(owner, email, "the owner's password");
    const account = await (await owner.get("/account")).text();
    expect(account).toContain("Check the details of this account");
    await runCron(env);
    expect(queue.sent).toEqual([]);
    const [{ id: customerId }] = (await sql(databaseUrl, "select id from customers where email = $1", [email])) as Array<{ id: string }>;
    const check = await (await owner.get("/account/profile")).text();
    expect(check).toContain("by someone who never confirmed it");
    expect(check).toContain('value="Theowner"');
    const saved = await owner.post("/account/profile", { firstName: "Rightful", lastName: "Owner", phone: "0917 999 0000", customerType: "new", deliveryMethod: "pickup" });
    expect(saved.headers.get("Location")).toBe("/account");
    expect(await customerRow(customerId)).toMatchObject({ first_name: "Rightful", last_name: "Owner", delivery_method: "pickup", address_line1: null, is_returning_customer: false });
    expect((await sql(databaseUrl, "select email_verified_at is not null as verified, taken_back_at from users where email = $1", [email]))[0]).toEqual({ verified: true, taken_back_at: null });
    expect(queue.sent).toHaveLength(1);
    const openJob = (await jobRowsOf(databaseUrl, customerId)).filter((j) => j.processed_at === null).map((j) => ({ action: j.action }));
    expect(openJob[0]).toEqual({ action: "create" });
    expect((await timeline(customerId)).map((e) => e.action)).toEqual(expect.arrayContaining(["account_taken_back", "details_checked"]));
  });
});

