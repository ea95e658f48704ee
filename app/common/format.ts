// One home for how dates, times and addresses look, on screen and in alert texts. The shop is in Manila:
// times are shown in its time zone and say so ("PHT", UTC+8), so an admin elsewhere is never misled.
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

export type AddressParts = {
  deliveryMethod: string;
  addressLine1?: string | null;
  addressLine2?: string | null;
  city?: string | null;
  province?: string | null;
  postalCode?: string | null;
};

/** One line for a delivery address ("12 Rizal St, Makati, Metro Manila, 1200"), or the pickup wording. */
export function formatAddress(a: AddressParts, pickup = "Pickup at the store"): string {
  if (a.deliveryMethod !== "delivery") return pickup;
  return [a.addressLine1, a.addressLine2, a.city, a.province, a.postalCode].map((p) => p?.trim()).filter(Boolean).join(", ") || "—";
}
