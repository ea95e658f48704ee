// A customer's order history = their Zoho invoices, cached in Postgres so browsing does not spend the
// daily budget (reads use the ledger's invoice reserve), and shown "as of" the cache when Zoho is down.
import { and, eq, sql } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import { zohoInvoiceCache } from "~/db/schema";
import { log } from "~/log.server";
import { isEmailVerified } from "~/sync/link-vetting.server";
import { historyAccess, type HistoryCustomer } from "./history-access";
import { ZohoClient } from "~/zoho/client.server";
import { ZohoError } from "~/zoho/errors";
import type { ZohoInvoice } from "~/zoho/types";

export const INVOICE_TTL_MS = 15 * 60_000;
export const INVOICES_PER_PAGE = 25;

export type Invoice = Pick<ZohoInvoice, "invoice_id" | "invoice_number" | "date" | "due_date" | "status" | "total" | "balance" | "currency_code">;

export type OrdersView =
  | { state: "not_linked" }
  | { state: "verify_email" }
  | { state: "checking" }
  | { state: "ok"; invoices: Invoice[]; hasMore: boolean; page: number; asOf: string; stale: boolean }
  | { state: "unavailable" };

/** The gate (issue 11): invoices only behind a verified email and a proven link; otherwise no Zoho call. */
export async function ordersForCustomer(app: AppServices, customer: HistoryCustomer & { userId: string | null; email: string }, page: number): Promise<OrdersView> {
  const access = historyAccess(customer, await isEmailVerified(app.db, customer));
  return access.state === "open" ? ordersFor(app, access.contactId, page) : { state: access.state };
}

export async function ordersFor(app: AppServices, contactId: string | null, page: number, now = new Date()): Promise<OrdersView> {
  if (!contactId) return { state: "not_linked" };
  const [cached] = await app.db
    .select()
    .from(zohoInvoiceCache)
    .where(and(eq(zohoInvoiceCache.contactId, contactId), eq(zohoInvoiceCache.page, page)));
  if (cached && now.getTime() - cached.fetchedAt.getTime() < INVOICE_TTL_MS)
    return { state: "ok", invoices: cached.invoices as Invoice[], hasMore: cached.hasMore, page, asOf: cached.fetchedAt.toISOString(), stale: false };
  try {
    const client = new ZohoClient({ db: app.db, env: app.env, purpose: "invoice" });
    const result = await client.listInvoices(contactId, page, INVOICES_PER_PAGE);
    const invoices: Invoice[] = result.items.map((i) => ({
      invoice_id: i.invoice_id,
      invoice_number: i.invoice_number,
      date: i.date,
      due_date: i.due_date,
      status: i.status,
      total: i.total,
      balance: i.balance,
      currency_code: i.currency_code,
    }));
    await app.db
      .insert(zohoInvoiceCache)
      .values({ contactId, page, invoices, hasMore: result.hasMore, fetchedAt: now })
      .onConflictDoUpdate({
        target: [zohoInvoiceCache.contactId, zohoInvoiceCache.page],
        set: { invoices, hasMore: result.hasMore, fetchedAt: sql`excluded.fetched_at` },
      });
    return { state: "ok", invoices, hasMore: result.hasMore, page, asOf: now.toISOString(), stale: false };
  } catch (error) {
    if (!(error instanceof ZohoError)) throw error;
    log("warn", "invoices unavailable from Zoho", { kind: error.kind, page });
    if (cached) return { state: "ok", invoices: cached.invoices as Invoice[], hasMore: cached.hasMore, page, asOf: cached.fetchedAt.toISOString(), stale: true };
    return { state: "unavailable" };
  }
}
