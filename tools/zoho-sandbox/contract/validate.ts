// Holding requests and answers to the contract. The sandbox refuses what Zoho's documents do not
// allow (unknown or malformed parameters, wrong types, values outside an enum, missing required
// fields, unknown body fields) with HTTP 400 and Zoho's `code` 2 ("Invalid value passed for …"),
// and tests check that every answer the sandbox gives fits the documented response schema.
import fs from "node:fs";
import type { Contract, Operation, Param, Schema } from "./types";

// Read rather than imported: every loader that starts the sandbox (tsx, vitest, Playwright) can read a file.
export const contract = JSON.parse(fs.readFileSync(new URL("./books-contract.json", import.meta.url), "utf8")) as Contract;

/** Zoho's code for an invalid parameter or field value (Zoho Books answers `{"code":2,"message":"Invalid value passed for filter_by"}`). */
export const INVALID_VALUE = 2;
/** Zoho's code for a body that is not valid JSON ("Invalid value passed for JSONString"). */
export const INVALID_JSON = 4;

export type Refusal = { code: number; message: string };

/** The documented operation for a method and a path under /books/v3 (null: Zoho has no such URL). */
export function findOperation(method: string, path: string): { op: Operation; pathParams: Record<string, string> } | null {
  for (const op of contract.operations) {
    if (op.method !== method.toUpperCase()) continue;
    const names: string[] = [];
    const pattern = new RegExp(`^${op.path.replace(/\{(\w+)\}/g, (_m, name: string) => (names.push(name), "([^/]+)"))}$`);
    const m = path.match(pattern);
    if (m) return { op, pathParams: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
  }
  return null;
}

const invalid = (name: string): Refusal => ({ code: INVALID_VALUE, message: `Invalid value passed for ${name}` });

function scalarProblem(p: Omit<Schema, "required">, value: string): boolean {
  if (p.type === "integer") {
    if (!/^-?\d+$/.test(value)) return true;
    const n = Number(value);
    if ((p.minimum !== undefined && n < p.minimum) || (p.maximum !== undefined && n > p.maximum)) return true;
  }
  if (p.type === "number" && !Number.isFinite(Number(value))) return true;
  if (p.type === "boolean" && value !== "true" && value !== "false") return true;
  if (p.enum && !p.enum.includes(value)) return true;
  if (p.maxLength !== undefined && value.length > p.maxLength) return true;
  return false;
}

/** Query string and headers against the operation (organization_id is checked by the caller). */
export function checkParameters(op: Operation, query: URLSearchParams, headers: Record<string, string | undefined>): Refusal | null {
  const query_ = Object.entries(op.params).filter(([, p]) => p.in === "query");
  const known = new Map<string, Param>(query_);
  for (const [name, value] of query) {
    const p = known.get(name);
    if (!p) return { code: INVALID_VALUE, message: `Invalid value passed for ${name}: the parameter is not supported` };
    if (query.getAll(name).length > 1 || scalarProblem(p, value)) return invalid(name);
  }
  for (const [name, p] of query_) if (p.required && !query.has(name)) return invalid(name);
  for (const [name, p] of Object.entries(op.params).filter(([, p]) => p.in === "header")) {
    const value = headers[name.toLowerCase()];
    if (value === undefined) {
      if (p.required) return { code: INVALID_VALUE, message: `The header ${name} is required` };
    } else if (scalarProblem(p, p.type === "boolean" ? value.toLowerCase() : value)) return invalid(name);
  }
  return null;
}

/** A JSON body against the operation's request schema. */
export function checkBody(op: Operation, body: unknown): Refusal | null {
  if (!op.body) return null;
  if (body === Symbol.for("invalid-json")) return { code: INVALID_JSON, message: "Invalid value passed for JSONString" };
  return checkValue(op.body, body ?? {}, "");
}

function checkValue(schema: Schema, value: unknown, at: string): Refusal | null {
  const name = at || "JSONString";
  switch (schema.type) {
    case "object": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return invalid(name);
      const obj = value as Record<string, unknown>;
      for (const key of schema.required ?? [])
        if (obj[key] === undefined || obj[key] === null || obj[key] === "") return { code: INVALID_VALUE, message: `Please enter ${key.replace(/_/g, " ")} (${key}).` };
      for (const [key, v] of Object.entries(obj)) {
        const child = schema.properties?.[key];
        if (!child) return { code: INVALID_VALUE, message: `Invalid value passed for ${key}: the field is not supported` };
        if (v === null) continue;
        const problem = checkValue(child, v, key);
        if (problem) return problem;
      }
      return null;
    }
    case "array":
      if (!Array.isArray(value)) return invalid(name);
      for (const item of value) {
        const problem = schema.items ? checkValue(schema.items, item, name) : null;
        if (problem) return problem;
      }
      return null;
    case "string":
      if (typeof value !== "string" || (schema.enum && !schema.enum.includes(value))) return invalid(name);
      if (schema.maxLength !== undefined && value.length > schema.maxLength) return invalid(name);
      return null;
    case "integer":
      return Number.isInteger(value) || (typeof value === "string" && /^-?\d+$/.test(value)) ? null : invalid(name);
    case "number":
      return typeof value === "number" || (typeof value === "string" && Number.isFinite(Number(value))) ? null : invalid(name);
    case "boolean":
      return typeof value === "boolean" ? null : invalid(name);
    default:
      return null;
  }
}

/** Where an answer departs from a documented response schema: undeclared fields and wrong types. */
export function responseMismatches(schema: Schema, value: unknown, at = "$"): string[] {
  if (value === null || value === undefined) return [];
  switch (schema.type) {
    case "object": {
      if (typeof value !== "object" || Array.isArray(value)) return [`${at}: expected an object`];
      if (!schema.properties) return [];
      return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
        schema.properties![k] ? responseMismatches(schema.properties![k], v, `${at}.${k}`) : [`${at}.${k}: not in Zoho's schema`],
      );
    }
    case "array":
      return Array.isArray(value) ? value.flatMap((v, i) => (schema.items ? responseMismatches(schema.items, v, `${at}[${i}]`) : [])) : [`${at}: expected an array`];
    case "string":
      return typeof value === "string" ? [] : [`${at}: expected a string`];
    case "integer":
      return Number.isInteger(value) ? [] : [`${at}: expected an integer`];
    case "number":
      return typeof value === "number" ? [] : [`${at}: expected a number`];
    case "boolean":
      return typeof value === "boolean" ? [] : [`${at}: expected a boolean`];
    default:
      return [];
  }
}
