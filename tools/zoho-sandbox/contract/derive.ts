// Derives the project's Zoho Books contract from Zoho's OpenAPI documents: paths, methods, parameters
// (types, enums and variants stated in their descriptions), required body fields, request and
// response field schemas. Facts only: no prose is copied. Pure, so a test can re-derive and compare.
import type { Contract, Operation, Param, Schema, SchemaType } from "./types";

/** The operations the product (and its conformance run) uses, by OpenAPI file and operationId. */
export const USED_OPERATIONS: Array<{ file: string; operationId: string }> = [
  { file: "contacts.yml", operationId: "list_contacts" },
  { file: "contacts.yml", operationId: "get_contact" },
  { file: "contacts.yml", operationId: "create_contact" },
  { file: "contacts.yml", operationId: "update_contact_using_custom_field" },
  { file: "contacts.yml", operationId: "update_contact" }, // profile changes flow to Zoho (issue 20); the sandbox's merge keeps ids
  { file: "contacts.yml", operationId: "delete_contact" }, // the conformance run removes what it created
  { file: "contacts.yml", operationId: "mark_contact_inactive" }, // the conformance run's inactive-contact probe
  { file: "contact-persons.yml", operationId: "list_contact_persons" },
  { file: "contact-persons.yml", operationId: "update_contact_person" }, // a customer's phone and name flow to their own person (issue 20)
  { file: "invoices.yml", operationId: "list_invoices" },
];

/**
 * What the documents leave out but Zoho's pages and answers show. Each addition names its reason;
 * the conformance run (npm run zoho:conformance) checks them against a real organisation.
 */
export const ADDITIONS: Record<string, Record<string, Omit<Param, "addition"> & { addition: string }>> = {
  list_invoices: {
    sort_order: { in: "query", required: false, type: "string", enum: ["A", "D"], addition: "page_context echoes sort_order (A/D); Zoho's list pages accept it" },
    per_page: { in: "query", required: false, type: "integer", minimum: 1, maximum: 200, addition: "the document states a maximum of 200" },
  },
  list_contacts: {
    per_page: { in: "query", required: false, type: "integer", minimum: 1, maximum: 200, addition: "Zoho's list pages cap per_page at 200" },
    sort_order: {
      in: "query",
      required: false,
      type: "string",
      enum: ["A", "D"],
      addition: "page_context reports sort_order (example D) and integrators send it; the mirror reads newest-changed first (probe: list_contacts sort_order=D)",
    },
  },
};

/** Where a document's response schema contradicts every other list answer Zoho gives (with the reason). */
export const RESPONSE_FIXES: Record<string, { field: string; reason: string }> = {
  list_invoices: { field: "page_context", reason: "documented as an array of the page object; Zoho and every other list operation send one object" },
};

type Doc = {
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, RawSchema>; parameters?: Record<string, RawParam> };
};
type RawSchema = { $ref?: string; type?: string; required?: string[]; properties?: Record<string, RawSchema>; items?: RawSchema; description?: string; enum?: unknown[] };
type RawParam = { $ref?: string; name: string; in: string; required?: boolean; description?: string; schema?: RawSchema };
type RawOperation = { operationId: string; parameters?: RawParam[]; requestBody?: { content?: Record<string, { schema?: RawSchema }> }; responses?: Record<string, { content?: Record<string, { schema?: RawSchema }> }>; security?: Array<Record<string, string[]>> };

const METHODS = ["get", "post", "put", "delete"] as const;

export function deriveContract(docs: Record<string, Doc>, sources: Contract["sources"], used = USED_OPERATIONS): Contract {
  const operations: Operation[] = [];
  for (const { file, operationId } of used) {
    const doc = docs[file];
    if (!doc) throw new Error(`OpenAPI document ${file} is missing`);
    operations.push(deriveOperation(doc, file, operationId));
  }
  return {
    about: "Derived from Zoho's published OpenAPI documents by scripts/zoho-contract.ts (npm run zoho:contract); do not edit by hand.",
    sources,
    operations,
  };
}

function deriveOperation(doc: Doc, file: string, operationId: string): Operation {
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method] as RawOperation | undefined;
      if (op?.operationId !== operationId) continue;
      const params: Record<string, Param> = {};
      const shared = (item.parameters as RawParam[] | undefined) ?? [];
      for (const raw of [...shared, ...(op.parameters ?? [])]) {
        const p = resolveParam(doc, raw);
        Object.assign(params, paramsOf(doc, p));
      }
      for (const [name, extra] of Object.entries(ADDITIONS[operationId] ?? {})) params[name] = { ...params[name], ...extra };
      const bodySchema = op.requestBody?.content?.["application/json"]?.schema;
      const responses: Record<string, Schema> = {};
      for (const [status, r] of Object.entries(op.responses ?? {})) {
        const s = r.content?.["application/json"]?.schema;
        if (s) responses[status] = toSchema(doc, s, []);
      }
      const fix = RESPONSE_FIXES[operationId];
      const broken = fix && responses["200"]?.properties?.[fix.field];
      if (broken?.type === "array" && broken.items) responses["200"].properties![fix.field] = broken.items;
      const scope = op.security?.flatMap((s) => Object.values(s).flat())[0] ?? "";
      return {
        operationId,
        file,
        method: method.toUpperCase() as Operation["method"],
        path,
        scope,
        params: sortKeys(params),
        ...(bodySchema ? { body: toSchema(doc, bodySchema, []) } : {}),
        responses,
      };
    }
  }
  throw new Error(`operation ${operationId} not found in ${file}`);
}

function resolveParam(doc: Doc, raw: RawParam): RawParam {
  if (!raw.$ref) return raw;
  const found = doc.components?.parameters?.[raw.$ref.split("/").pop()!];
  if (!found) throw new Error(`unresolved parameter ${raw.$ref}`);
  return found;
}

/** Enums and maximum lengths that Zoho states in prose ("Allowed values: <code>a</code>, …", "Max-length [100]"). */
function statedLimits(description: string): Pick<Schema, "enum" | "maxLength"> {
  const out: Pick<Schema, "enum" | "maxLength"> = {};
  const allowed = description.match(/allowed values?:(.*?)(?:\.\s|\.$|$)/is);
  const values = allowed ? codes(allowed[1]) : [];
  if (values.length) out.enum = values;
  const max = description.match(/max(?:imum)?[- ]length(?: is)? \[?(\d+)\]?/i);
  if (max) out.maxLength = Number(max[1]);
  return out;
}

const codes = (text: string) => [...text.matchAll(/<code>([^<]*)<\/code>/g)].flatMap((m) => m[1].split(/,\s*|\s+and\s+/)).map((s) => s.trim()).filter(Boolean);

/** A parameter plus the variants its description names (`Variants: <code>email_startswith</code> …`). */
function paramsOf(doc: Doc, p: RawParam): Record<string, Param> {
  const description = p.description ?? "";
  const base: Param = { in: p.in as Param["in"], required: !!p.required, ...scalar(doc, p.schema), ...statedLimits(description) };
  const out: Record<string, Param> = { [p.name]: base };
  const variants = description.match(/variants?:?(.*)$/is);
  if (variants)
    for (const name of codes(variants[1]).filter((v) => v.startsWith(p.name) && v !== p.name)) {
      const { enum: _values, ...rest } = base; // a variant searches by part of the value
      out[name] = { ...rest, required: false, variantOf: p.name };
    }
  return out;
}

function scalar(doc: Doc, raw: RawSchema | undefined): Pick<Schema, "type"> {
  const s = raw ? toSchema(doc, raw, []) : {};
  return s.type ? { type: s.type } : { type: "string" };
}

function toSchema(doc: Doc, raw: RawSchema, seen: string[]): Schema {
  if (raw.$ref) {
    const name = raw.$ref.split("/").pop()!;
    if (seen.includes(name)) return { type: "object" };
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`unresolved schema ${raw.$ref}`);
    return toSchema(doc, target, [...seen, name]);
  }
  const out: Schema = {};
  const type = (raw.type ?? (raw.properties ? "object" : undefined)) as SchemaType | undefined;
  if (type) out.type = type;
  if (type === "string") Object.assign(out, statedLimits(raw.description ?? ""));
  if (raw.enum) out.enum = raw.enum.map(String);
  if (raw.required?.length) out.required = [...raw.required];
  if (raw.properties) out.properties = sortKeys(Object.fromEntries(Object.entries(raw.properties).map(([k, v]) => [k, toSchema(doc, v, seen)])));
  if (raw.items) out.items = toSchema(doc, raw.items, seen);
  return out;
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}
