// Zoho Books v3: contacts (list, get, create, upsert by a unique custom field) and invoices by customer.
// Shapes, filters and error codes follow docs/zoho-facts.md.
import { json, zohoError, type Req, type Res } from "./http";
import { contactDetail, contactSummary, type Contact, type SandboxState } from "./state";

export const CODES = {
  invalidToken: 14,
  notAuthorised: 57,
  invalidValue: 2,
  perMinute: 44,
  daily: 45,
  contactNotFound: 1002,
  duplicateName: 3062,
};

export type Scope = "contacts.READ" | "contacts.CREATE" | "contacts.UPDATE" | "invoices.READ";

/** Does the token's scope list grant `needed`? (`ZohoBooks.fullaccess.all`, `ZohoBooks.contacts.ALL` …) */
export function hasScope(granted: string, needed: Scope) {
  const [module] = needed.split(".");
  const list = granted.split(/[ ,]+/).map((s) => s.toLowerCase());
  return list.some((s) => s === "zohobooks.fullaccess.all" || s === `zohobooks.${module}.all`.toLowerCase() || s === `zohobooks.${needed}`.toLowerCase());
}

/** Which scope a Books request needs (null: unknown endpoint). */
export function requiredScope(method: string, path: string): Scope | null {
  if (path === "/books/v3/contacts" && method === "GET") return "contacts.READ";
  if (/^\/books\/v3\/contacts\/[^/]+$/.test(path) && method === "GET") return "contacts.READ";
  if (path === "/books/v3/contacts" && method === "POST") return "contacts.CREATE";
  if (path === "/books/v3/contacts" && method === "PUT") return "contacts.UPDATE"; // CREATE also checked when it creates
  if (path === "/books/v3/invoices" && method === "GET") return "invoices.READ";
  return null;
}

const lower = (s: string | undefined | null) => (s ?? "").toLowerCase();
const emails = (c: Contact) => c.contact_persons.map((p) => lower(p.email)).filter(Boolean);

function pageParams(q: URLSearchParams): { page: number; perPage: number } | Res {
  const page = Number(q.get("page") ?? 1);
  const perPage = Number(q.get("per_page") ?? 200);
  if (!Number.isInteger(page) || page < 1) return zohoError(400, CODES.invalidValue, "Invalid value passed for page");
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 200) return zohoError(400, CODES.invalidValue, "Invalid value passed for per_page");
  return { page, perPage };
}

export function listContacts(state: SandboxState, req: Req): Res {
  const q = req.query;
  const paging = pageParams(q);
  if ("status" in paging) return paging;
  const filterBy = q.get("filter_by") ?? "Status.Active";
  let list = [...state.contacts.values()];
  if (filterBy === "Status.Active") list = list.filter((c) => c.status === "active");
  else if (filterBy === "Status.Inactive") list = list.filter((c) => c.status === "inactive");
  else if (filterBy !== "Status.All") return zohoError(400, CODES.invalidValue, "Invalid value passed for filter_by");
  const type = q.get("contact_type");
  if (type) list = list.filter((c) => c.contact_type === type);
  // Zoho's email filter matches partially and also hits contact persons' emails.
  const email = q.get("email") ?? q.get("email_contains");
  if (email) list = list.filter((c) => emails(c).some((e) => e.includes(lower(email))));
  const emailStart = q.get("email_startswith");
  if (emailStart) list = list.filter((c) => emails(c).some((e) => e.startsWith(lower(emailStart))));
  // contact_name: case-insensitive, but whitespace is compared as is.
  const name = q.get("contact_name");
  if (name) list = list.filter((c) => lower(c.contact_name) === lower(name));
  const nameStart = q.get("contact_name_startswith");
  if (nameStart) list = list.filter((c) => lower(c.contact_name).startsWith(lower(nameStart)));
  const nameContains = q.get("contact_name_contains");
  if (nameContains) list = list.filter((c) => lower(c.contact_name).includes(lower(nameContains)));
  const search = q.get("search_text");
  if (search)
    list = list.filter((c) =>
      [c.contact_name, c.company_name, ...c.contact_persons.flatMap((p) => [p.email, `${p.first_name} ${p.last_name}`])].some((v) => lower(v).includes(lower(search))),
    );
  list.sort((a, b) => a.contact_name.localeCompare(b.contact_name) || a.contact_id.localeCompare(b.contact_id));
  const start = (paging.page - 1) * paging.perPage;
  return json(200, {
    code: 0,
    message: "success",
    contacts: list.slice(start, start + paging.perPage).map(contactSummary),
    page_context: {
      page: paging.page,
      per_page: paging.perPage,
      has_more_page: start + paging.perPage < list.length,
      report_name: "Contacts",
      applied_filter: filterBy,
      sort_column: "contact_name",
      sort_order: "A",
    },
  });
}

export function getContact(state: SandboxState, id: string): Res {
  const contact = state.contacts.get(id);
  if (!contact) return zohoError(404, CODES.contactNotFound, "Contact does not exist.");
  return json(200, { code: 0, message: "success", contact: contactDetail(contact) });
}

type ContactBody = {
  contact_name?: unknown;
  company_name?: unknown;
  contact_type?: unknown;
  customer_sub_type?: unknown;
  contact_persons?: unknown;
  custom_fields?: unknown;
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function validate(state: SandboxState, body: ContactBody, existingId: string | null): Res | null {
  if (typeof body.contact_name !== "string" || !body.contact_name.trim())
    return zohoError(400, CODES.invalidValue, "Please enter the contact name (contact_name).");
  if (body.contact_name.length > 200) return zohoError(400, CODES.invalidValue, "Invalid value passed for contact_name (maximum 200 characters)");
  if (body.contact_type !== undefined && body.contact_type !== "customer" && body.contact_type !== "vendor")
    return zohoError(400, CODES.invalidValue, "Invalid value passed for contact_type");
  if (body.contact_persons !== undefined) {
    if (!Array.isArray(body.contact_persons)) return zohoError(400, CODES.invalidValue, "Invalid value passed for contact_persons");
    for (const p of body.contact_persons as Array<Record<string, unknown>>) {
      if (p.email !== undefined && p.email !== "" && (typeof p.email !== "string" || !EMAIL.test(p.email)))
        return zohoError(400, CODES.invalidValue, "Invalid value passed for email");
      for (const key of ["first_name", "last_name", "phone", "mobile"])
        if (p[key] !== undefined && (typeof p[key] !== "string" || (p[key] as string).length > 100))
          return zohoError(400, CODES.invalidValue, `Invalid value passed for ${key}`);
    }
  }
  const name = body.contact_name.trim();
  if (!state.settings.allowDuplicateNames) {
    const taken = [...state.contacts.values()].some((c) => c.contact_id !== existingId && lower(c.contact_name.trim()) === lower(name));
    if (taken) return zohoError(400, CODES.duplicateName, `The contact "${name}" already exists. Please specify a different name.`);
  }
  for (const f of customFields(body)) {
    if (!state.settings.uniqueCustomFields.includes(f.api_name)) continue;
    const clash = [...state.contacts.values()].some((c) => c.contact_id !== existingId && c.custom_fields.some((x) => x.api_name === f.api_name && x.value === f.value));
    if (clash) return zohoError(400, CODES.invalidValue, `The value "${f.value}" already exists for the unique field ${f.api_name}.`);
  }
  return null;
}

function customFields(body: ContactBody) {
  return Array.isArray(body.custom_fields)
    ? (body.custom_fields as Array<{ api_name?: unknown; value?: unknown }>)
        .filter((f) => typeof f.api_name === "string")
        .map((f) => ({ api_name: f.api_name as string, value: String(f.value ?? "") }))
    : [];
}

function create(state: SandboxState, body: ContactBody): Contact {
  return state.addContact({
    contact_name: (body.contact_name as string).trim(),
    company_name: typeof body.company_name === "string" ? body.company_name : "",
    contact_type: (body.contact_type as "customer" | "vendor") ?? "customer",
    customer_sub_type: body.customer_sub_type === "business" ? "business" : "individual",
    contact_persons: (body.contact_persons as Array<Record<string, string | boolean>> | undefined)?.map((p) => ({
      first_name: p.first_name as string,
      last_name: p.last_name as string,
      email: p.email as string,
      phone: p.phone as string,
      mobile: p.mobile as string,
      is_primary_contact: p.is_primary_contact as boolean,
    })),
    custom_fields: customFields(body),
  });
}

export function createContact(state: SandboxState, req: Req): Res {
  const body = (req.body ?? {}) as ContactBody;
  const invalid = validate(state, body, null);
  if (invalid) return invalid;
  return json(201, { code: 0, message: "The contact has been added.", contact: contactDetail(create(state, body)) });
}

/** PUT /contacts with X-Unique-Identifier-Key/-Value (+ X-Upsert: true): update by a unique custom field, or create. */
export function upsertContact(state: SandboxState, req: Req, grantedScope: string): Res {
  const key = req.headers["x-unique-identifier-key"];
  const value = req.headers["x-unique-identifier-value"];
  const upsert = lower(req.headers["x-upsert"]) === "true";
  if (!key || value === undefined) return zohoError(400, CODES.invalidValue, "X-Unique-Identifier-Key and X-Unique-Identifier-Value are required");
  if (!state.settings.uniqueCustomFields.includes(key))
    return zohoError(400, CODES.invalidValue, `The custom field ${key} does not exist or does not allow only unique values.`);
  const body = (req.body ?? {}) as ContactBody;
  const existing = [...state.contacts.values()].find((c) => c.custom_fields.some((f) => f.api_name === key && f.value === value));
  if (!existing) {
    if (!upsert) return zohoError(404, CODES.contactNotFound, "Contact does not exist.");
    if (!hasScope(grantedScope, "contacts.CREATE")) return zohoError(401, CODES.notAuthorised, "You are not authorized to perform this operation");
    const withKey = { ...body, custom_fields: [...customFields(body).filter((f) => f.api_name !== key), { api_name: key, value }] };
    const invalid = validate(state, withKey, null);
    if (invalid) return invalid;
    return json(201, { code: 0, message: "The contact has been added.", contact: contactDetail(create(state, withKey)) });
  }
  const invalid = validate(state, { ...body, contact_name: body.contact_name ?? existing.contact_name }, existing.contact_id);
  if (invalid) return invalid;
  if (typeof body.contact_name === "string") existing.contact_name = body.contact_name.trim();
  if (typeof body.company_name === "string") existing.company_name = body.company_name;
  existing.last_modified_time = state.iso();
  return json(200, { code: 0, message: "Contact information has been saved.", contact: contactDetail(existing) });
}

export function listInvoices(state: SandboxState, req: Req): Res {
  const paging = pageParams(req.query);
  if ("status" in paging) return paging;
  const customer = req.query.get("customer_id");
  let list = state.invoices.filter((i) => !customer || i.customer_id === customer);
  const column = req.query.get("sort_column") ?? "date";
  if (column !== "date" && column !== "invoice_number" && column !== "total")
    return zohoError(400, CODES.invalidValue, "Invalid value passed for sort_column");
  const desc = (req.query.get("sort_order") ?? "D") === "D";
  list = [...list].sort((a, b) => {
    const av = a[column as "date"], bv = b[column as "date"];
    return (av < bv ? -1 : av > bv ? 1 : a.invoice_id.localeCompare(b.invoice_id)) * (desc ? -1 : 1);
  });
  const start = (paging.page - 1) * paging.perPage;
  return json(200, {
    code: 0,
    message: "success",
    invoices: list.slice(start, start + paging.perPage),
    page_context: { page: paging.page, per_page: paging.perPage, has_more_page: start + paging.perPage < list.length, sort_column: column, sort_order: desc ? "D" : "A" },
  });
}
