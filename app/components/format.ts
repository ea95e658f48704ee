// One home for how dates and times look on screen. The shop is in Manila: times are shown in its
// time zone and say so ("PHT", UTC+8), so an admin elsewhere is never misled.
export const SHOP_TIME_ZONE = "Asia/Manila";
export const SHOP_TIME_ZONE_LABEL = "PHT";

const dateTime = new Intl.DateTimeFormat("en-PH", { dateStyle: "medium", timeStyle: "short", timeZone: SHOP_TIME_ZONE });
const dateOnly = new Intl.DateTimeFormat("en-PH", { dateStyle: "medium", timeZone: SHOP_TIME_ZONE });

type DateInput = string | number | Date | null | undefined;

function toDate(value: DateInput): Date | null {
  if (value === null || value === undefined || value === "") return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "Nov 25, 2026, 9:09 PM PHT"; "—" when there is no time. */
export function formatDateTime(value: DateInput): string {
  const d = toDate(value);
  return d ? `${dateTime.format(d)} ${SHOP_TIME_ZONE_LABEL}` : "—";
}

/** A calendar date ("Nov 25, 2026"): no time, so no zone; "—" when there is none. */
export function formatDate(value: DateInput): string {
  const d = toDate(value);
  return d ? dateOnly.format(d) : "—";
}
