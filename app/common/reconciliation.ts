// What differs between the portal and Zoho, as the mirror shows it (issue 20 item 6): the kinds, their labels and
// the page's query. Pure (the route, the CSV and the server module share it).
import { z } from "zod";

export const RECONCILIATION_KINDS = ["deleted_contact", "inactive_contact", "email_differs", "missing_in_zoho", "possible_duplicate"] as const;
export type ReconciliationKind = (typeof RECONCILIATION_KINDS)[number];

export const RECONCILIATION_LABEL: Record<ReconciliationKind, string> = {
  deleted_contact: "Linked contact deleted in Zoho",
  inactive_contact: "Linked contact inactive in Zoho (made inactive, or merged into another)",
  email_differs: "Zoho's primary email differs from the customer's",
  missing_in_zoho: "Linked contact not in Zoho's directory",
  possible_duplicate: "Another active Zoho contact has the customer's email",
};

export const RECONCILIATION_PAGE_SIZE = 50;

const blank = (v: unknown) => (v === "" || v === null ? undefined : v);

export const ReconciliationQuerySchema = z.object({
  kind: z.preprocess(blank, z.enum(RECONCILIATION_KINDS, { error: "Choose a kind from the list." }).optional()),
  page: z.preprocess(blank, z.coerce.number().int().min(1).max(100_000).optional()).catch(undefined),
});
export type ReconciliationQuery = { kind?: ReconciliationKind; page: number };

/** The URL's query, forgiving: an unknown kind or page shows everything from page 1 (the form says why). */
export function parseReconciliationQuery(url: URL): ReconciliationQuery {
  const parsed = ReconciliationQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  return parsed.success ? { kind: parsed.data.kind, page: parsed.data.page ?? 1 } : { page: 1 };
}

export function reconciliationUrl(base: string, q: { kind?: string; page?: number }) {
  const params = new URLSearchParams();
  if (q.kind) params.set("kind", q.kind);
  if (q.page && q.page > 1) params.set("page", String(q.page));
  const s = params.toString();
  return `${base}${s ? `?${s}` : ""}`;
}
