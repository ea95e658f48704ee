import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { COLUMN_CLASSIFICATION, personalColumns } from "./personal-data";
import * as schema from "./schema";

const tables = (Object.values(schema) as unknown[]).filter((v): v is PgTable => v instanceof PgTable).map((t) => getTableConfig(t));
// Text-like columns: where a person's name, address or words can be stored.
const isTextual = (c: { getSQLType(): string }) => /^(text|varchar|char|character|jsonb?|tsvector)/i.test(c.getSQLType());

describe("the registry of columns that hold personal data", () => {
  it("classifies every text, varchar and jsonb column of the schema", () => {
    const unclassified = tables.flatMap((t) => t.columns.filter(isTextual).filter((c) => !COLUMN_CLASSIFICATION[t.name]?.[c.name]).map((c) => `${t.name}.${c.name}`));
    expect(unclassified).toEqual([]);
  });

  it("names no column the schema does not have", () => {
    const known = new Set(tables.flatMap((t) => t.columns.map((c) => `${t.name}.${c.name}`)));
    const stale = Object.entries(COLUMN_CLASSIFICATION).flatMap(([t, cols]) => Object.keys(cols).map((c) => `${t}.${c}`)).filter((c) => !known.has(c));
    expect(stale).toEqual([]);
  });

  it("counts the customer's name, address, phone and email as personal", () => {
    const cols = personalColumns().map((c) => `${c.table}.${c.column}`);
    expect(cols).toEqual(expect.arrayContaining(["customers.first_name", "customers.phone", "customers.address_line1", "users.email", "auth_throttle.key", "sessions.data"]));
  });
});
