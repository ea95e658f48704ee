// What a mirror of Zoho's directory reads (issue 20): every contact and invoice carries created_time and
// last_modified_time, moved by every write; GET /contacts sorts by them both ways (sort_order is a named
// addition, contract/derive.ts); GET /invoices filters by last_modified_time; PUT /contacts/{id} updates;
// the control API merges and deletes as Zoho's web app does.
import { beforeEach, describe, expect, it } from "vitest";
import { sandboxForTests } from "./test-harness";

const z = sandboxForTests();
let token: string;
beforeEach(async () => {
  token = (await z.control.issueTokens()).access_token;
});

type Summary = { contact_id: string; contact_name: string; status: string; created_time: string; last_modified_time: string };
type Listed = { contacts: Summary[]; page_context: { sort_column: string; sort_order: string; has_more_page: boolean } };
type Invoices = { invoices: Array<{ invoice_id: string; customer_id: string; last_modified_time: string; created_time: string }> };
const list = async (query: string) => (await z.json<Listed>(z.books(`/contacts?${query}`, token))).body;
const minute = 60_000;

describe("the change order of contacts", () => {
  it("sorts by last_modified_time newest first with sort_order=D, and every write moves the time", async () => {
    const a = await z.control.addContact({ contact_name: "Change Alpha", email: "alpha@change.example" });
    await z.control.advanceClock(minute);
    const b = await z.control.addContact({ contact_name: "Change Beta", email: "beta@change.example" });
    await z.control.advanceClock(minute);
    const newest = await list("sort_column=last_modified_time&sort_order=D&filter_by=Status.All&per_page=2");
    expect(newest.contacts.map((c) => c.contact_name)).toEqual(["Change Beta", "Change Alpha"]);
    expect(newest.page_context).toMatchObject({ sort_column: "last_modified_time", sort_order: "D", has_more_page: true });

    // An update through the API moves Alpha to the front; created_time stays.
    const put = await z.json<{ contact: Summary }>(
      z.books(`/contacts/${a.contact_id}`, token, { method: "PUT", body: JSON.stringify({ contact_name: "Change Alpha Renamed" }) }),
    );
    expect(put.status).toBe(200);
    expect(put.body.contact.last_modified_time > put.body.contact.created_time).toBe(true);
    expect((await list("sort_column=last_modified_time&sort_order=D&per_page=1")).contacts[0].contact_id).toBe(a.contact_id);
    expect((await list("sort_column=created_time&sort_order=D&per_page=1")).contacts[0].contact_id).toBe(b.contact_id);
    expect((await list("sort_column=created_time&sort_order=A&contact_name_startswith=Change")).contacts.map((c) => c.contact_id)).toEqual([a.contact_id, b.contact_id]);
  });

  it("PUT /contacts/{id} requires contact_name and answers 404 for an unknown contact", async () => {
    const a = await z.control.addContact({ contact_name: "Change Gamma" });
    const missing = await z.json<{ code: number; message: string }>(z.books(`/contacts/${a.contact_id}`, token, { method: "PUT", body: JSON.stringify({ company_name: "X" }) }));
    expect(missing).toMatchObject({ status: 400, body: { code: 2 } });
    expect(missing.body.message).toContain("contact_name");
    expect(await z.json(z.books(`/contacts/999`, token, { method: "PUT", body: JSON.stringify({ contact_name: "Nobody" }) }))).toMatchObject({ status: 404, body: { code: 1002 } });
  });

  it("PUT /contacts/{id} keeps a shipping address; PUT /contacts/contactpersons/{id} needs contact_id and first_name, changes only what is sent", async () => {
    type Detail = { contact: Summary & { shipping_address: Record<string, string>; contact_persons: Array<{ contact_person_id: string; first_name: string; last_name: string; mobile: string }> } };
    const a = await z.control.addContact({ contact_name: "Change Epsilon", first_name: "Eps", last_name: "Ilon", email: "eps@change.example" });
    const address = { address: "12 Mango St", city: "Makati", state: "Metro Manila", zip: "1200" };
    await z.books(`/contacts/${a.contact_id}`, token, { method: "PUT", body: JSON.stringify({ contact_name: "Change Epsilon", shipping_address: address }) });
    const before = (await z.json<Detail>(z.books(`/contacts/${a.contact_id}`, token))).body.contact;
    expect(before.shipping_address).toMatchObject(address);
    const person = before.contact_persons[0];
    const url = `/contacts/contactpersons/${person.contact_person_id}`;
    const put = (body: unknown) => z.json<{ code: number; message: string; contact_person?: unknown[] }>(z.books(url, token, { method: "PUT", body: JSON.stringify(body) }));
    expect(await put({ first_name: "Eps" })).toMatchObject({ status: 400, body: { code: 2 } }); // contact_id is required
    expect(await put({ contact_id: a.contact_id, mobile: "+639171112222" })).toMatchObject({ status: 400, body: { code: 2 } }); // first_name too
    expect(await put({ contact_id: "999", first_name: "Eps" })).toMatchObject({ status: 404 });
    await z.control.advanceClock(minute);
    const ok = await put({ contact_id: a.contact_id, first_name: "Eps", mobile: "+639171112222" });
    expect(ok).toMatchObject({ status: 200, body: { code: 0 } });
    expect(ok.body.contact_person).toHaveLength(1);
    const after = (await z.json<Detail>(z.books(`/contacts/${a.contact_id}`, token))).body.contact;
    expect(after.contact_persons[0]).toMatchObject({ first_name: "Eps", last_name: "Ilon", mobile: "+639171112222" });
    expect(after.last_modified_time > before.last_modified_time).toBe(true);
  });

  it("filter_by=Status.All lists inactive contacts; Status.Inactive only them; sort_order outside A/D is refused", async () => {
    const all = await list("filter_by=Status.All&contact_name=Inactive%20Ines");
    expect(all.contacts.map((c) => c.status)).toEqual(["inactive"]);
    expect((await list("filter_by=Status.Inactive")).contacts.every((c) => c.status === "inactive")).toBe(true);
    expect(await z.json(z.books("/contacts?sort_order=down", token))).toMatchObject({ status: 400, body: { code: 2 } });
  });
});

describe("merge and delete, as in Zoho's web app", () => {
  it("a merge makes the merged contact inactive and moves its invoices to the survivor; both change", async () => {
    const merged = await z.control.addContact({ contact_name: "Merge Child", email: "child@merge.example" });
    const survivor = await z.control.addContact({ contact_name: "Merge Parent", email: "parent@merge.example" });
    await z.control.addInvoice({ customer_id: merged.contact_id, invoice_number: "INV-MERGE-1" });
    await z.control.advanceClock(minute);
    const since = (await list(`sort_column=last_modified_time&sort_order=D&per_page=1`)).contacts[0].last_modified_time;
    await z.control.advanceClock(minute);
    await z.control.mergeContact(merged.contact_id, survivor.contact_id);

    const child = await z.json<{ contact: Summary }>(z.books(`/contacts/${merged.contact_id}`, token));
    expect(child.body.contact.status).toBe("inactive");
    const changed = (await list("sort_column=last_modified_time&sort_order=D&filter_by=Status.All&per_page=2")).contacts.map((c) => c.contact_id).sort();
    expect(changed).toEqual([merged.contact_id, survivor.contact_id].sort());
    const moved = await z.json<Invoices>(z.books(`/invoices?last_modified_time=${encodeURIComponent(since)}`, token));
    expect(moved.body.invoices.map((i) => i.customer_id)).toEqual([survivor.contact_id]);
  });

  it("a deleted contact answers 404 afterwards", async () => {
    const gone = await z.control.addContact({ contact_name: "Deleted Delta" });
    await z.control.deleteContact(gone.contact_id);
    expect(await z.json(z.books(`/contacts/${gone.contact_id}`, token))).toMatchObject({ status: 404, body: { code: 1002 } });
  });
});

describe("the change order of invoices", () => {
  it("last_modified_time lists invoices modified after that time, in Zoho's ±hhmm format; a malformed time is refused", async () => {
    const [ana] = (await list("email=ana.reyes@example.com")).contacts;
    await z.control.advanceClock(minute);
    const now = (await z.control.state()).now as string;
    await z.control.advanceClock(minute);
    const fresh = await z.control.addInvoice({ customer_id: ana.contact_id });
    const since = now.replace(/\.\d{3}Z$/, "+0000");
    const changed = await z.json<Invoices>(z.books(`/invoices?last_modified_time=${encodeURIComponent(since)}`, token));
    expect(changed.body.invoices.map((i) => i.invoice_id)).toEqual([fresh.invoice_id]);
    expect(changed.body.invoices[0].created_time).toBeTruthy();
    // The same moment in Manila (+0800) is the same filter.
    const manila = new Date(Date.parse(now) + 8 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "+0800");
    expect((await z.json<Invoices>(z.books(`/invoices?last_modified_time=${encodeURIComponent(manila)}`, token))).body.invoices).toHaveLength(1);
    expect(await z.json(z.books(`/invoices?last_modified_time=yesterday`, token))).toMatchObject({ status: 400, body: { code: 2 } });
  });
});

describe("a bulk preload (the mirror bench's directory of 100,000)", () => {
  it("adds customer contacts a full read pages through by created_time, with an invoice for every n-th; nonsense is refused", async () => {
    const before = (await z.control.state()).contacts as number;
    expect(await z.control.addContactsInBulk({ count: 450, prefix: "pre", invoiceEvery: 100 })).toEqual({ contacts: 450, invoices: 5 });
    expect((await z.control.state()).contacts).toBe(before + 450);
    const page = (n: number) => z.json<Listed & { contacts: Array<Summary & { email: string }> }>(z.books(`/contacts?sort_column=created_time&sort_order=A&filter_by=Status.All&page=${n}`, token));
    const third = (await page(3)).body;
    expect(third.page_context.has_more_page).toBe(false);
    expect(third.contacts.at(-1)).toMatchObject({ contact_name: "Bulk pre 449", email: "pre449@bulk.example", status: "active" });
    const invoices = await z.json<Invoices>(z.books(`/invoices?last_modified_time=2000-01-01T00:00:00%2B0000`, token));
    expect(invoices.body.invoices.filter((i) => third.contacts.some((c) => c.contact_id === i.customer_id))).toHaveLength(1); // pre400
    await expect(z.control.addContactsInBulk({ count: 0 })).rejects.toThrow(/400/);
  });
});
