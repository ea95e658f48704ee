// What the two trails of the console (the admin audit log, the Zoho call log) share in their URLs: a date range
// in the shop's time zone and keyset cursors (the row id: both are append-only, newest first).
import { z } from "zod";

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "Use a date like 2026-12-31." })
  .refine((v) => !Number.isNaN(Date.parse(v)), { error: "Use a date like 2026-12-31." });
const cursor = z.string().regex(/^\d{1,18}$/);

/** Empty form fields mean "no filter". */
export const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

export const LogRangeFields = {
  from: z.preprocess(blankToUndefined, day.optional()),
  to: z.preprocess(blankToUndefined, day.optional()),
  after: z.preprocess(blankToUndefined, cursor.optional()).catch(undefined),
  before: z.preprocess(blankToUndefined, cursor.optional()).catch(undefined),
};

const customerId = z.uuid({ error: "A customer id looks like 0b7c…-…: copy it from the customer's page." });

/**
 * A log page's URL contract: its own filters, then the customer id and the date range every log has, and the
 * cursors. `parse` reads a URL leniently (an invalid filter is dropped; the form shows why); `params` gives the
 * filters back for links (cursors left out).
 */
export function logQuery<Filters extends z.ZodRawShape>(filters: Filters) {
  const schema = z.object({ ...filters, customer: z.preprocess(blankToUndefined, customerId.optional()), ...LogRangeFields });
  type Query = z.infer<typeof schema>;
  const names = [...Object.keys(filters), "customer", "from", "to"];
  return {
    schema,
    parse(url: URL): Query {
      const raw = Object.fromEntries(url.searchParams);
      const parsed = schema.safeParse(raw);
      if (parsed.success) return parsed.data;
      const bad = new Set(parsed.error.issues.map((i) => String(i.path[0])));
      return schema.parse(Object.fromEntries(Object.entries(raw).filter(([k]) => !bad.has(k))));
    },
    params(q: Query): Record<string, string | undefined> {
      const values = q as Record<string, unknown>;
      return Object.fromEntries(names.map((k) => [k, typeof values[k] === "string" ? (values[k] as string) : undefined]));
    },
  };
}

export const LOG_PAGE_SIZE = 50;
/** A CSV download holds at most this many rows (newest first); narrow the filters for more. */
export const LOG_CSV_MAX_ROWS = 10_000;

/** The URL of a log view with some parameters changed (cursors dropped unless given). */
export function logUrl(base: string, query: Record<string, string | undefined>, change: Record<string, string | undefined> = {}) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...query, after: undefined, before: undefined, ...change })) if (v) params.set(k, v);
  const s = params.toString();
  return `${base}${s ? `?${s}` : ""}`;
}

/** One CSV line: every value quoted, quotes doubled, and a leading = + - @ neutralised for spreadsheets. */
export function csvLine(values: Array<string | number | null | undefined>): string {
  return values
    .map((v) => {
      const s = v === null || v === undefined ? "" : String(v);
      const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
      return `"${safe.replaceAll('"', '""')}"`;
    })
    .join(",");
}
