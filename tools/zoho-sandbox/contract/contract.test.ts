// The committed contract is what Zoho's OpenAPI documents say (re-derived here when they are on this
// machine), and it holds the facts the product relies on either way.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { deriveContract, USED_OPERATIONS } from "./derive";
import { CONTRACT_FILE, deriveFromFiles, openApiPresent, serialise } from "./source";
import { checkBody, checkParameters, contract, findOperation } from "./validate";

const op = (id: string) => contract.operations.find((o) => o.operationId === id)!;

describe("the Zoho Books contract", () => {
  it("is exactly what scripts/zoho-contract.ts derives from Zoho's OpenAPI documents (or, without them, a complete committed contract)", () => {
    const committed = fs.readFileSync(CONTRACT_FILE, "utf8");
    if (openApiPresent()) expect(committed).toBe(serialise(deriveFromFiles()));
    expect(contract.sources.map((s) => s.file)).toEqual(["contact-persons.yml", "contacts.yml", "invoices.yml"]);
    expect(contract.sources.every((s) => /^[0-9a-f]{64}$/.test(s.sha256))).toBe(true);
    expect(contract.operations.map((o) => o.operationId)).toEqual(USED_OPERATIONS.map((o) => o.operationId));
  });

  it("holds the facts the product relies on", () => {
    expect(op("list_contacts")).toMatchObject({ method: "GET", path: "/contacts", scope: "ZohoBooks.contacts.READ" });
    expect(op("list_contacts").params).toMatchObject({
      email: { in: "query", maxLength: 100 },
      email_contains: { variantOf: "email" },
      email_startswith: { variantOf: "email" },
      contact_name_contains: { variantOf: "contact_name" },
      search_text: { type: "string" },
      contact_type: { enum: ["customer", "vendor"] },
      per_page: { type: "integer", maximum: 200 },
    });
    for (const o of contract.operations) expect(o.params.organization_id, o.operationId).toMatchObject({ in: "query", required: true });
    expect(op("create_contact").body?.required).toEqual(["contact_name"]);
    expect(Object.keys(op("create_contact").body!.properties!.custom_fields.items!.properties!)).toEqual(["index", "value"]);
    expect(op("update_contact_using_custom_field").params).toMatchObject({
      "X-Unique-Identifier-Key": { in: "header", required: true },
      "X-Unique-Identifier-Value": { in: "header", required: true },
      "X-Upsert": { in: "header", required: false, type: "boolean" },
    });
    expect(op("list_contact_persons").path).toBe("/contacts/{contact_id}/contactpersons");
    expect(op("get_contact").responses["200"].properties!.contact.properties!.contact_persons.items!.properties).toHaveProperty("is_primary_contact");
    expect(op("list_invoices").responses["200"].properties!.page_context.type).toBe("object");
  });

  it("derives variants, enums and maximum lengths from the documents' own words", () => {
    const doc = {
      paths: {
        "/things": {
          get: {
            operationId: "list_things",
            parameters: [
              { name: "colour", in: "query", description: "Allowed Values: <code>red</code>, <code>blue</code> and <code>green</code>.", schema: { type: "string" } },
              { name: "name", in: "query", description: "Max-length [50] Variants: <code>name_startswith</code> and <code>name_contains</code>", schema: { type: "string" } },
            ],
            security: [{ Zoho_Auth: ["ZohoBooks.things.READ"] }],
            responses: { "200": { content: { "application/json": { schema: { $ref: "#/components/schemas/r" } } } } },
          },
        },
      },
      components: { schemas: { r: { type: "object", properties: { code: { type: "integer" } } } } },
    };
    const [thing] = deriveContract({ "x.yml": doc }, [], [{ file: "x.yml", operationId: "list_things" }]).operations;
    expect(thing.params.colour.enum).toEqual(["red", "blue", "green"]);
    expect(thing.params.name).toMatchObject({ maxLength: 50 });
    expect(thing.params.name_contains).toMatchObject({ variantOf: "name", maxLength: 50 });
    expect(thing.scope).toBe("ZohoBooks.things.READ");
  });

  it("refuses what the documents do not allow and accepts what the client sends", () => {
    const list = findOperation("GET", "/contacts")!.op;
    expect(checkParameters(list, new URLSearchParams("organization_id=1&email=a@b.co&contact_type=customer&page=1&per_page=200"), {})).toBeNull();
    expect(checkParameters(list, new URLSearchParams("organization_id=1&emails=a@b.co"), {})?.code).toBe(2);
    expect(findOperation("GET", "/contacts/42/contactpersons")?.pathParams).toEqual({ contact_id: "42" });
    const create = findOperation("POST", "/contacts")!.op;
    const payload = { contact_name: "Ana Reyes", contact_type: "customer", customer_sub_type: "individual", contact_persons: [{ first_name: "Ana", last_name: "Reyes", email: "a@b.co", mobile: "+63", is_primary_contact: true }] };
    expect(checkBody(create, payload)).toBeNull();
    expect(checkBody(create, { ...payload, custom_fields: [{ api_name: "cf_x", value: "1" }] })?.message).toContain("api_name");
  });
});
