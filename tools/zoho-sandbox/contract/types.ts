// The shape of the project's Zoho Books contract (tools/zoho-sandbox/contract/books-contract.json):
// facts derived from Zoho's published OpenAPI documents by scripts/zoho-contract.ts, plus a short,
// named list of additions the documents omit (each with its reason).

export type SchemaType = "string" | "integer" | "number" | "boolean" | "object" | "array";

export type Schema = {
  type?: SchemaType;
  enum?: string[];
  maxLength?: number;
  maximum?: number;
  minimum?: number;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
};

export type Param = Omit<Schema, "required" | "properties" | "items"> & {
  in: "query" | "header" | "path";
  required: boolean;
  /** The parameter this one is a documented variant of (`email_contains` → `email`). */
  variantOf?: string;
  /** Set when the parameter comes from the project's additions rather than the OpenAPI document. */
  addition?: string;
};

export type Operation = {
  operationId: string;
  /** OpenAPI document it came from (file name in shared/reference/zoho-books-openapi). */
  file: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path template under /books/v3, e.g. `/contacts/{contact_id}`. */
  path: string;
  scope: string;
  params: Record<string, Param>;
  body?: Schema;
  responses: Record<string, Schema>;
};

export type Contract = {
  about: string;
  sources: Array<{ file: string; sha256: string }>;
  operations: Operation[];
};
