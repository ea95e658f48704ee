// Zoho Books v3 contact writes: create (create_contact), update (update_contact) and update-or-create by a
// unique custom field (update_contact_using_custom_field). The contract has already refused unknown fields and wrong
// types (contract/validate.ts); this module adds what Zoho checks against the organisation's data.
import { CODES, hasScope, NOT_AUTHORISED } from "./books";
import { json, zohoError, type Req, type Res } from "./http";
import { contactDetail, customFieldDefinition, type Address, type Contact, type CustomField, type SandboxState } from "./state";

type PersonBody = { first_name?: string; last_name?: string; email?: string; phone?: string; mobile?: string; is_primary_contact?: boolean; contact_person_id?: string };
type ContactBody = {
  contact_name?: string;
  company_name?: string;
  contact_type?: "customer" | "vendor";
  customer_sub_type?: "individual" | "business";
  notes?: string;
  shipping_address?: Address;
  contact_persons?: PersonBody[];
  custom_fields?: Array<{ index?: number | string; label?: string; value?: string }>;
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const lower = (s: string | undefined | null) => (s ?? "").toLowerCase();

/** Custom field items name a field by `index` or `label` (Zoho's request schema); resolve them to the organisation's fields. */
function resolveCustomFields(state: SandboxState, body: ContactBody): CustomField[] | Res {
  const out: CustomField[] = [];
  for (const item of body.custom_fields ?? []) {
    const def = state.settings.uniqueCustomFields
      .map((name) => customFieldDefinition(state.settings, name)!)
      .find((d) => (item.index !== undefined && Number(item.index) === d.index) || (item.label !== undefined && lower(item.label) === lower(d.label)));
    if (!def) return zohoError(400, CODES.invalidValue, "Invalid value passed for custom_fields");
    out.push({ ...def, value: String(item.value ?? "") });
  }
  return out;
}

function check(state: SandboxState, body: ContactBody, fields: CustomField[], existingId: string | null): Res | null {
  const name = (body.contact_name ?? "").trim();
  if (!name) return zohoError(400, CODES.invalidValue, "Please enter contact name (contact_name).");
  if (name.length > 200) return zohoError(400, CODES.invalidValue, "Invalid value passed for contact_name (maximum 200 characters)");
  for (const p of body.contact_persons ?? [])
    if (p.email !== undefined && p.email !== "" && !EMAIL.test(p.email)) return zohoError(400, CODES.invalidValue, "Invalid value passed for email");
  if (!state.settings.allowDuplicateNames) {
    const taken = [...state.contacts.values()].some((c) => c.contact_id !== existingId && lower(c.contact_name.trim()) === lower(name));
    if (taken) return zohoError(400, CODES.duplicateName, `The contact "${name}" already exists. Please specify a different name.`);
  }
  for (const f of fields) {
    const clash = [...state.contacts.values()].some((c) => c.contact_id !== existingId && c.custom_fields.some((x) => x.api_name === f.api_name && x.value === f.value));
    if (clash) return zohoError(400, CODES.invalidValue, `The value "${f.value}" already exists for the unique field ${f.label}.`);
  }
  return null;
}

function persons(body: ContactBody) {
  return body.contact_persons?.map((p, i) => ({
    first_name: p.first_name,
    last_name: p.last_name,
    email: p.email,
    phone: p.phone,
    mobile: p.mobile,
    is_primary_contact: p.is_primary_contact ?? i === 0,
  }));
}

function create(state: SandboxState, body: ContactBody, fields: CustomField[]): Contact {
  return state.addContact({
    contact_name: body.contact_name!.trim(),
    company_name: body.company_name ?? "",
    contact_type: body.contact_type ?? "customer",
    customer_sub_type: body.customer_sub_type ?? "business",
    notes: body.notes,
    contact_persons: persons(body),
    custom_fields: fields,
  });
}

export function createContact(state: SandboxState, req: Req): Res {
  const body = (req.body ?? {}) as ContactBody;
  const fields = resolveCustomFields(state, body);
  if (!Array.isArray(fields)) return fields;
  const invalid = check(state, body, fields, null);
  if (invalid) return invalid;
  return json(201, { code: 0, message: "The contact has been added.", contact: contactDetail(create(state, body, fields)) });
}

/**
 * PUT /contacts: X-Unique-Identifier-Key names a custom field that allows no duplicates (API name),
 * X-Unique-Identifier-Value its value. The contact holding it is updated with exactly what is sent;
 * when none holds it, one is created only with `X-Upsert: true`, carrying the value in that field.
 */
export function upsertContact(state: SandboxState, req: Req, grantedScope: string): Res {
  const key = req.headers["x-unique-identifier-key"]!;
  const value = req.headers["x-unique-identifier-value"]!;
  const upsert = lower(req.headers["x-upsert"]) === "true";
  const def = customFieldDefinition(state.settings, key);
  if (!def) return zohoError(400, CODES.invalidValue, "Invalid value passed for X-Unique-Identifier-Key");
  const body = (req.body ?? {}) as ContactBody;
  const sent = resolveCustomFields(state, body);
  if (!Array.isArray(sent)) return sent;
  const existing = [...state.contacts.values()].find((c) => c.custom_fields.some((f) => f.api_name === key && f.value === value));
  if (!existing) {
    if (!upsert) return zohoError(404, CODES.contactNotFound, "Contact does not exist.");
    if (!hasScope(grantedScope, "ZohoBooks.contacts.CREATE")) return zohoError(401, CODES.notAuthorised, NOT_AUTHORISED);
    // Our reading of Zoho's description: the contact it creates carries the header's value in that field.
    // Unverified until a conformance run against Zoho (probe "upsert writes the unique value back"); the
    // setting `upsertWritesUniqueValue: false` plays a Zoho that does not, so the product is tested both ways.
    const fields = state.settings.upsertWritesUniqueValue ? [...sent.filter((f) => f.api_name !== key), { ...def, value }] : sent;
    const invalid = check(state, body, fields, null);
    if (invalid) return invalid;
    return json(201, { code: 0, message: "The contact has been added.", contact: contactDetail(create(state, body, fields)) });
  }
  return update(state, existing, body, sent);
}

/** PUT /contacts/{contact_id} (update_contact): contact_name is required, as Zoho's request schema says. */
export function updateContact(state: SandboxState, id: string, req: Req): Res {
  const existing = state.contacts.get(id);
  if (!existing) return zohoError(404, CODES.contactNotFound, "Contact does not exist.");
  const body = (req.body ?? {}) as ContactBody;
  const sent = resolveCustomFields(state, body);
  if (!Array.isArray(sent)) return sent;
  return update(state, existing, body, sent);
}

/** Updates a contact with what is sent (both updates share it); every write moves last_modified_time. */
function update(state: SandboxState, existing: Contact, body: ContactBody, sent: CustomField[]): Res {
  const invalid = check(state, body, sent, existing.contact_id);
  if (invalid) return invalid;
  existing.contact_name = body.contact_name!.trim();
  if (body.company_name !== undefined) existing.company_name = body.company_name;
  if (body.contact_type !== undefined) existing.contact_type = body.contact_type;
  if (body.customer_sub_type !== undefined) existing.customer_sub_type = body.customer_sub_type;
  if (body.notes !== undefined) existing.notes = body.notes;
  if (body.shipping_address !== undefined) existing.shipping_address = { ...(existing.shipping_address ?? {}), ...body.shipping_address };
  // Persons sent with their id are updated, without an id added; persons left out are removed.
  if (body.contact_persons !== undefined) {
    existing.contact_persons = body.contact_persons.map((p, i) => {
      const before = existing.contact_persons.find((x) => x.contact_person_id === p.contact_person_id);
      return { ...(before ?? state.person({}, false)), ...Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)), is_primary_contact: p.is_primary_contact ?? i === 0 };
    });
  }
  for (const f of sent) existing.custom_fields = [...existing.custom_fields.filter((x) => x.api_name !== f.api_name), f];
  existing.last_modified_time = state.iso();
  return json(200, { code: 0, message: "Contact information has been saved.", contact: contactDetail(existing) });
}

type PersonUpdateBody = PersonBody & { contact_id?: string };

/**
 * PUT /contacts/contactpersons/{contact_person_id} (update_contact_person): the contract has already required
 * contact_id and first_name (contact-persons.yml). The person must belong to that contact; only what is sent
 * changes; the contact's last_modified_time moves (the person is part of it). The answer carries the person in
 * an array, as the document's response schema says.
 */
export function updateContactPerson(state: SandboxState, personId: string, req: Req): Res {
  const body = (req.body ?? {}) as PersonUpdateBody;
  const contact = state.contacts.get(String(body.contact_id));
  if (!contact) return zohoError(404, CODES.contactNotFound, "Contact does not exist.");
  const person = contact.contact_persons.find((p) => p.contact_person_id === personId);
  if (!person) return zohoError(404, CODES.invalidValue, "The contact person does not exist.");
  if (body.email !== undefined && body.email !== "" && !EMAIL.test(body.email)) return zohoError(400, CODES.invalidValue, "Invalid value passed for email");
  for (const key of ["first_name", "last_name", "email", "phone", "mobile"] as const) if (body[key] !== undefined) person[key] = body[key]!;
  if (body.is_primary_contact === true) for (const p of contact.contact_persons) p.is_primary_contact = p === person;
  contact.last_modified_time = state.iso();
  return json(200, { code: 0, message: "The contactperson details has been updated.", contact_person: [{ contact_id: contact.contact_id, ...person }] });
}
