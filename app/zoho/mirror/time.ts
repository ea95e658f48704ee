// Zoho's times (`2013-11-18T02:02:51-0800`; the sandbox writes `+0000`): parsed to milliseconds and written back
// in the form its `last_modified_time` filter takes (invoices.yml). Pure.

/** Milliseconds of a Zoho time; NaN when it is none. */
export function zohoTime(value: string): number {
  const m = value.match(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})$/);
  if (!m) return NaN;
  const zone = m[2] === "Z" ? "Z" : `${m[2].slice(0, 3)}:${m[2].slice(-2)}`;
  return Date.parse(`${m[1]}${zone}`);
}

/** A moment as Zoho's filters take it, in UTC: `YYYY-MM-DDTHH:MM:SS+0000`. */
export const toZohoTime = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, "+0000");
