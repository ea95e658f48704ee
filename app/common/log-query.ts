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
