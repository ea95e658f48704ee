// The sandbox's Books contacts and invoices follow Zoho's OpenAPI documents (contacts.yml,
// contact-persons.yml, invoices.yml) and refuse what they do not allow, as Zoho does.
import { beforeEach, describe, expect, it } from "vitest";
import { ORG, sandboxForTests } from "./test-harness";

const z = sandboxForTests();
let token: string;
beforeEach(async () => {
  token = (await z.control.issueTokens()).access_token;
});

type Listed = { contacts: Array<{ contact_id: string; contact_name: string; email: string }>; page_context: { has_more_page: boolean } };
const list = async (query: string) => (await z.json<Listed>(z.books(`/contacts?${query}`, token))).body.contacts;
const names = async (query: string) => (await list(query)).map((c) => c.contact_name).sort();
const UPSERT = { "X-Unique-Identifier-Key": "cf_portal_customer_id", "X-Unique-Identifier-Value": "abc", "X-Upsert": "true" };
const put = (body: unknown, headers: Record<string, string> = UPSERT) => z.json<{ code: number; contact: Record<string, unknown> }>(z.books("/contacts", token, { method: "PUT", headers, body: JSON.stringify(body) }));

describe("list_contacts filters, as documented", () => {
  it("email is the primary contact person's email, exactly: no partial hits, no secondary persons", async () => {
    expect(await names("email=santos@example.com")).toEqual(["R. Santos"]);
    expect(await list("email=carla.lopez@example.com")).toEqual([]); // Carla is a secondary person of Lopez Trading
    expect(await list("email=rosa.lim@example.com")).toEqual([]); // stored as Rosa.Lim@Example.com
    expect(await names("email=Rosa.Lim@Example.com")).toEqual(["Rosa Lim"]);
  });

  it("email_contains and email_startswith search the primary email by part", async () => {
    expect(await names("email_contains=santos@example.com")).toEqual(["Ben Santos", "Maria Santos", "R. Santos"]);
    expect(await names("email_startswith=maria.")).toEqual(["Maria Santos"]);
    expect(await list("email_contains=carla.lopez")).toEqual([]);
  });

  it("contact_name ignores case but not spaces; _startswith and _contains search by part", async () => {
    expect(await names("contact_name=PEDRO%20GARCIA")).toEqual(["pedro garcia"]); // "Pedro  Garcia" has two spaces
    expect(await names("contact_name_startswith=ana%20reyes&contact_type=customer")).toEqual(["Ana Reyes"]);
    expect(await names("contact_name_contains=lopez")).toEqual(["Lopez Trading"]);
  });

  it("search_text matches the contact name or notes, not emails", async () => {
    expect(await names("search_text=quezon%20city")).toEqual(["Juan Dela Cruz"]);
    expect(await names("search_text=greenfield")).toEqual(["Greenfield Bakery"]);
    expect(await list("search_text=nina.cruz")).toEqual([]);
  });

  it("paginates with has_more_page; active contacts by default, filter_by for the rest", async () => {
    const page = await z.json<Listed>(z.books("/contacts?per_page=2&page=1", token));
    expect(page.body.page_context.has_more_page).toBe(true);
    expect(await list("contact_name=Inactive%20Ines")).toEqual([]);
    expect(await names("contact_name=Inactive%20Ines&filter_by=Status.All")).toEqual(["Inactive Ines"]);
  });
});

describe("requests Zoho's documents do not allow are refused with HTTP 400 and a code", () => {
  it.each([
    ["an unknown parameter", "/contacts?emails=a@b.co", 2, "emails"],
    ["a value outside the enum", "/contacts?filter_by=Status.Everything", 2, "filter_by"],
    ["a non-integer page", "/contacts?page=two", 2, "page"],
    ["per_page above 200", "/contacts?per_page=201", 2, "per_page"],
    ["an email filter longer than 100 characters", `/contacts?email=${"a".repeat(95)}@x.com`, 2, "email"],
    ["an unknown invoice sort order", "/invoices?sort_order=down", 2, "sort_order"],
  ])("%s", async (_label, path, code, name) => {
    const res = await z.json<{ code: number; message: string }>(z.books(path, token));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(code);
    expect(res.body.message).toContain(name);
  });

  it("bodies: a missing contact_name, an unknown field, a wrong type, a bad enum, invalid JSON", async () => {
    const post = (body: string) => z.json<{ code: number; message: string }>(z.books("/contacts", token, { method: "POST", body }));
    expect((await post(JSON.stringify({ company_name: "X" }))).body).toMatchObject({ code: 2, message: expect.stringContaining("contact_name") });
    expect((await post(JSON.stringify({ contact_name: "X", nickname: "x" }))).body).toMatchObject({ code: 2, message: expect.stringContaining("nickname") });
    expect((await post(JSON.stringify({ contact_name: "X", contact_persons: [{ is_primary_contact: "yes" }] }))).body.code).toBe(2);
    expect((await post(JSON.stringify({ contact_name: "X", contact_type: "friend" }))).body).toMatchObject({ code: 2, message: expect.stringContaining("contact_type") });
    expect((await post("{not json")).body.code).toBe(4);
    // custom_fields items are {index, value} in Zoho's create schema: an api_name is not accepted.
    expect((await post(JSON.stringify({ contact_name: "X", custom_fields: [{ api_name: "cf_portal_customer_id", value: "1" }] }))).body).toMatchObject({ code: 2, message: expect.stringContaining("api_name") });
  });

  it("organization_id: missing is refused; another organisation's id gets Zoho's 6041", async () => {
    const noOrg = await fetch(`${z.url}/books/v3/contacts`, { headers: { Authorization: `Zoho-oauthtoken ${token}` } });
    expect(noOrg.status).toBe(400);
    const other = await z.json<{ code: number; message: string }>(fetch(`${z.url}/books/v3/contacts?organization_id=999`, { headers: { Authorization: `Zoho-oauthtoken ${token}` } }));
    expect(other).toMatchObject({ status: 400, body: { code: 6041, message: expect.stringContaining("999") } });
    expect(ORG).not.toBe("999");
  });

  it("an unknown URL is code 5 and a missing scope is 401 + 57", async () => {
    expect((await z.json(z.books("/contacts/1/avatar", token))).body).toMatchObject({ code: 5 });
    const readOnly = (await z.control.issueTokens({ scope: "ZohoBooks.contacts.READ" })).access_token;
    const res = await z.json(z.books("/contacts", readOnly, { method: "POST", body: JSON.stringify({ contact_name: "X" }) }));
    expect(res).toEqual({ status: 401, body: { code: 57, message: "You are not authorized to perform this operation" } });
  });
});

describe("contact writes", () => {
  it("creates contacts (201) and refuses duplicate names only when the organisation forbids them", async () => {
    const body = JSON.stringify({ contact_name: "Juan Dela Cruz", contact_persons: [{ first_name: "Juan", email: "other@example.com" }] });
    expect(await z.json(z.books("/contacts", token, { method: "POST", body }))).toMatchObject({ status: 201, body: { code: 0, message: "The contact has been added." } });
    await z.control.settings({ allowDuplicateNames: false });
    expect(await z.json(z.books("/contacts", token, { method: "POST", body }))).toMatchObject({ status: 400, body: { code: 3062 } });
  });

  it("upsert: without X-Upsert nothing is created; with it, a contact carrying the value; again, the same contact updated with what was sent", async () => {
    expect((await put({ contact_name: "Up Sert" }, { ...UPSERT, "X-Upsert": "false" })).status).toBe(404);
    const first = await put({ contact_name: "Up Sert", contact_persons: [{ first_name: "Up", email: "up@example.com", is_primary_contact: true }] });
    expect(first.status).toBe(201);
    expect(first.body.contact.custom_fields).toEqual([{ index: 1, label: "portal customer id", value: "abc" }]);
    const second = await put({ contact_name: "Up Sert 2", notes: "renamed" });
    expect(second.body.contact).toMatchObject({ contact_id: first.body.contact.contact_id, contact_name: "Up Sert 2", notes: "renamed" });
    expect((second.body.contact.contact_persons as unknown[]).length).toBe(1); // not sent, not touched
    expect((await put({ contact_name: "X" }, { ...UPSERT, "X-Unique-Identifier-Key": "cf_other" })).status).toBe(400);
    expect((await put({ contact_name: "X" }, { ...UPSERT, "X-Upsert": "maybe" })).body.code).toBe(2);
    const noKey = await z.json(z.books("/contacts", token, { method: "PUT", body: JSON.stringify({ contact_name: "X" }) }));
    expect(noKey.status).toBe(400);
  });

  it("custom fields are addressed by index or label, and a unique field's value cannot repeat", async () => {
    await put({ contact_name: "Holder" });
    const clash = await z.json<{ code: number }>(z.books("/contacts", token, { method: "POST", body: JSON.stringify({ contact_name: "Other", custom_fields: [{ index: 1, value: "abc" }] }) }));
    expect(clash).toMatchObject({ status: 400, body: { code: 2 } });
    const byLabel = await put({ contact_name: "Holder", custom_fields: [{ label: "Portal Customer ID", value: "abc" }] });
    expect(byLabel.status).toBe(200);
  });

  it("contact persons are listed by contact, and a contact can be deleted", async () => {
    const [lopez] = await list("contact_name=Lopez%20Trading");
    const persons = await z.json<{ contact_persons: Array<{ email: string; is_primary_contact: boolean }> }>(z.books(`/contacts/${lopez.contact_id}/contactpersons`, token));
    expect(persons.body.contact_persons.map((p) => [p.email, p.is_primary_contact])).toEqual([["office@lopeztrading.example", true], ["carla.lopez@example.com", false]]);
    expect(await z.json(z.books(`/contacts/${lopez.contact_id}`, token, { method: "DELETE" }))).toMatchObject({ status: 200, body: { code: 0 } });
    expect(await z.json(z.books(`/contacts/${lopez.contact_id}`, token))).toMatchObject({ status: 404, body: { code: 1002 } });
  });
});

describe("invoices", () => {
  it("lists a customer's invoices newest first with pagination", async () => {
    const [ana] = await list("email=ana.reyes@example.com");
    const page = await z.json<{ invoices: Array<{ date: string }>; page_context: { has_more_page: boolean } }>(
      z.books(`/invoices?customer_id=${ana.contact_id}&per_page=25&sort_column=date&sort_order=D`, token),
    );
    expect(page.body.invoices).toHaveLength(25);
    expect(page.body.page_context.has_more_page).toBe(true);
    expect(page.body.invoices[0].date >= page.body.invoices[24].date).toBe(true);
  });
});
