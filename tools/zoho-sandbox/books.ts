// Zoho Books v3 reads: contacts (list with the documented filters, get, contact persons, delete) and
// invoices by customer. Filters follow contacts.yml (list_contacts); codes follow docs/zoho-facts.md.
import { json, zohoError, type Req, type Res } from "./http";
import { contactDetail, contactSummary, primaryPerson, type Contact, type SandboxState } from "./state";

export const CODES = {
  /** HTTP 401 for an expired, revoked or unknown access token AND for a missing scope. */
  notAuthorised: 57,
  invalidValue: 2,
  invalidJson: 4,
  perMinute: 44,
  daily: 45,
  concurrency: 1070,
  wrongOrganisation: 6041,
  contactNotFound: 1002,
  duplicateName: 3062,
};

export const NOT_AUTHORISED = "You are not authorized to perform this operation";

/** Does the token's scope list grant `needed` (e.g. `ZohoBooks.contacts.READ`)? */
export function hasScope(granted: string, needed: string) {
  const [, module] = needed.toLowerCase().split(".");
  const list = granted.split(/[ ,]+/).map((s) => s.toLowerCase());
  return list.some((s) => s === "zohobooks.fullaccess.all" || s === `zohobooks.${module}.all` || s === needed.toLowerCase());
}

const lower = (s: string | undefined | null) => (s ?? "").toLowerCase();

function pageParams(q: URLSearchParams) {
  return { page: Number(q.get("page") ?? 1), perPage: Number(q.get("per_page") ?? 200) };
}

/** The searchable fields of list_contacts; `email`, names and phone are the PRIMARY contact person's. */
const SEARCHABLE: Record<string, (c: Contact) => string> = {
  contact_name: (c) => c.contact_name,
  company_name: (c) => c.company_name,
  first_name: (c) => primaryPerson(c)?.first_name ?? "",
  last_name: (c) => primaryPerson(c)?.last_name ?? "",
  email: (c) => primaryPerson(c)?.email ?? "",
  phone: (c) => primaryPerson(c)?.phone ?? "",
  address: () => "",
};

/**
 * `x` exact, `x_startswith`, `x_contains`; whitespace is compared as is. Names ignore case; emails are
 * compared exactly as stored (Zoho does not document case folding: the stricter reading, which the
 * conformance run checks against a real organisation).
 */
function matchesFilters(c: Contact, q: URLSearchParams) {
  for (const [field, get] of Object.entries(SEARCHABLE)) {
    const fold = field === "email" ? (v: string | null) => v ?? "" : lower;
    const value = fold(get(c));
    const exact = q.get(field);
    if (exact !== null && value !== fold(exact)) return false;
    const start = q.get(`${field}_startswith`);
    if (start !== null && !value.startsWith(fold(start))) return false;
    const contains = q.get(`${field}_contains`);
    if (contains !== null && !value.includes(fold(contains))) return false;
  }
  const search = q.get("search_text");
  if (search !== null && ![c.contact_name, c.notes].some((v) => lower(v).includes(lower(search)))) return false; // contact name or notes
  const type = q.get("contact_type");
  return type === null || c.contact_type === type;
}

function byStatus(state: SandboxState, filterBy: string, c: Contact) {
  const invoices = () => state.invoices.filter((i) => i.customer_id === c.contact_id);
  switch (filterBy) {
    case "Status.All":
      return true;
    case "Status.Active":
      return c.status === "active";
    case "Status.Inactive":
      return c.status === "inactive";
    case "Invoice.OverDue":
      return invoices().some((i) => i.status === "overdue");
    case "Invoice.Unpaid":
      return invoices().some((i) => i.balance > 0 && i.status !== "void" && i.status !== "draft");
    case "Status.PortalDisabled":
      return true; // the sandbox has no customer portal
    default:
      return false; // duplicates, portal-enabled, credit limit, CRM: none in the sandbox
  }
}

const SORTS: Record<string, (c: Contact) => string> = {
  contact_name: (c) => lower(c.contact_name),
  first_name: (c) => lower(primaryPerson(c)?.first_name),
  last_name: (c) => lower(primaryPerson(c)?.last_name),
  email: (c) => lower(primaryPerson(c)?.email),
  outstanding_receivable_amount: () => "",
  created_time: (c) => c.created_time,
  last_modified_time: (c) => c.last_modified_time,
};

export function listContacts(state: SandboxState, req: Req): Res {
  const q = req.query;
  const { page, perPage } = pageParams(q);
  const filterBy = q.get("filter_by") ?? "Status.Active";
  const column = q.get("sort_column") ?? "contact_name";
  const key = SORTS[column];
  // sort_order (A/D) is a named addition to the contract (contract/derive.ts): Zoho's page_context reports it.
  const order = q.get("sort_order") === "D" ? "D" : "A";
  const sign = order === "D" ? -1 : 1;
  const list = [...state.contacts.values()]
    .filter((c) => byStatus(state, filterBy, c) && matchesFilters(c, q))
    .sort((a, b) => sign * (key(a).localeCompare(key(b)) || a.contact_id.localeCompare(b.contact_id)));
  const start = (page - 1) * perPage;
  return json(200, {
    code: 0,
    message: "success",
    contacts: list.slice(start, start + perPage).map(contactSummary),
    page_context: { page, per_page: perPage, has_more_page: start + perPage < list.length, applied_filter: filterBy, sort_column: column, sort_order: order },
  });
}

/** Milliseconds of a Zoho time (`2013-11-18T02:02:51-0800`, also `+0000` or `Z`); NaN when it is none. */
export function zohoTime(value: string): number {
  const m = value.match(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})$/);
  if (!m) return NaN;
  const zone = m[2] === "Z" ? "Z" : `${m[2].slice(0, 3)}:${m[2].slice(-2)}`;
  return Date.parse(`${m[1]}${zone}`);
}

export function getContact(state: SandboxState, id: string): Res {
  const contact = state.contacts.get(id);
  if (!contact) return zohoError(404, CODES.contactNotFound, "Contact does not exist.");
  return json(200, { code: 0, message: "success", contact: contactDetail(contact) });
}

export function listContactPersons(state: SandboxState, id: string, q: URLSearchParams): Res {
  const contact = state.contacts.get(id);
  if (!contact) return zohoError(404, CODES.contactNotFound, "Contact does not exist.");
  const { page, perPage } = pageParams(q);
  const start = (page - 1) * perPage;
  return json(200, {
    code: 0,
    message: "success",
    contact_persons: contact.contact_persons.slice(start, start + perPage).map((p) => ({ ...p })),
    page_context: { page, per_page: perPage, has_more_page: start + perPage < contact.contact_persons.length, sort_column: "first_name", sort_order: "A" },
  });
}

export function markContactInactive(state: SandboxState, id: string): Res {
  const contact = state.contacts.get(id);
  if (!contact) return zohoError(404, CODES.contactNotFound, "Contact does not exist.");
  contact.status = "inactive";
  contact.last_modified_time = state.iso();
  return json(200, { code: 0, message: "The contact has been marked as inactive." });
}

export function deleteContact(state: SandboxState, id: string): Res {
  if (!state.contacts.delete(id)) return zohoError(404, CODES.contactNotFound, "Contact does not exist.");
  state.deletedContacts.push({ contact_id: id, at: state.iso() });
  return json(200, { code: 0, message: "The contact has been deleted." });
}

export function listInvoices(state: SandboxState, req: Req): Res {
  const q = req.query;
  const { page, perPage } = pageParams(q);
  const customer = q.get("customer_id");
  const status = q.get("status");
  const column = (q.get("sort_column") ?? "created_time") as "date";
  const desc = (q.get("sort_order") ?? "D") === "D";
  // "Invoices modified after a specific time" (invoices.yml): strictly after, in Zoho's `YYYY-MM-DDTHH:MM:SS±hhmm`.
  const modifiedAfter = q.get("last_modified_time");
  const after = modifiedAfter === null ? null : zohoTime(modifiedAfter);
  if (Number.isNaN(after)) return zohoError(400, CODES.invalidValue, "Invalid value passed for last_modified_time");
  const list = state.invoices
    .filter((i) => (!customer || i.customer_id === customer) && (!status || i.status === status))
    .filter((i) => after === null || zohoTime(i.last_modified_time) > after)
    .sort((a, b) => {
      const av = a[column] ?? a.date, bv = b[column] ?? b.date;
      return (av < bv ? -1 : av > bv ? 1 : a.invoice_id.localeCompare(b.invoice_id)) * (desc ? -1 : 1);
    });
  const start = (page - 1) * perPage;
  return json(200, {
    code: 0,
    message: "success",
    // invoices.yml types total and balance as strings ("10000.00"); Zoho's examples also show numbers: the client takes both.
    invoices: list.slice(start, start + perPage).map((i) => ({ ...i, total: i.total.toFixed(2), balance: i.balance.toFixed(2) })),
    page_context: { page, per_page: perPage, has_more_page: start + perPage < list.length, sort_column: column, sort_order: desc ? "D" : "A" },
  });
}
