// A customer's order history = their Zoho invoices, cached in Postgres so browsing does not spend the
// daily budget, and shown "as of" the cache when Zoho cannot be asked. What keeps one person (or a script)
// from draining the budget:
//  - a fresh cached page costs nothing (INVOICE_TTL_MS);
//  - Zoho is only asked for page N when page N-1 is cached and said has_more_page (or N = 1);
//  - each linked contact may cause ZOHO_ORDERS_CALLS_PER_CUSTOMER Zoho calls per budget day;
//  - all customers together spend only the order-history share of the ledger (never sync's);
//  - once the mirror of Zoho's invoices is complete (app/zoho/mirror/), pages come from it: one incremental read
//    when the copy is older than MIRROR_INVOICES_FRESH_SECONDS serves every customer, so browsing costs nothing.
import { and, eq, sql } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import { zohoInvoiceCache } from "~/db/schema";
import { log } from "~/log.server";
import { isEmailVerified } from "~/sync/link-vetting.server";
import { historyAccess, type HistoryCustomer } from "./history-access";
import { ZohoClient } from "~/zoho/client.server";
import { ZohoError } from "~/zoho/errors";
import { ledgerDay } from "~/zoho/ledger.server";
import { invoicesReady } from "~/zoho/mirror/read.server";
import { invoicesOf } from "~/zoho/mirror/store.server";
import type { ZohoInvoice } from "~/zoho/types";

export const INVOICE_TTL_MS = 15 * 60_000;
export const INVOICES_PER_PAGE = 25;

export type Invoice = Pick<ZohoInvoice, "invoice_id" | "invoice_number" | "date" | "due_date" | "status" | "total" | "balance" | "currency_code">;

/** Why the page shown is not fresh from Zoho (or why nothing can be shown). */
export type NotFreshReason = "zoho_unavailable" | "customer_cap" | "share_used";

export type OrdersView =
  | { state: "not_linked" }
  | { state: "verify_email" }
  | { state: "checking" }
  | { state: "rechecking" }
  | { state: "ok"; invoices: Invoice[]; hasMore: boolean; page: number; asOf: string; stale: boolean; reason: NotFreshReason | null }
  | { state: "unavailable"; reason: NotFreshReason }
  | { state: "no_such_page"; page: number };

type CachedPage = typeof zohoInvoiceCache.$inferSelect;

/** The gate (issue 11): invoices only behind a verified email and a proven link; otherwise no Zoho call. */
export async function ordersForCustomer(app: AppServices, customer: HistoryCustomer & { id?: string; userId: string | null; email: string }, page: number): Promise<OrdersView> {
  const access = historyAccess(customer, await isEmailVerified(app.db, customer));
  return access.state === "open" ? ordersFor(app, access.contactId, page, new Date(), customer.id) : { state: access.state };
}

export async function ordersFor(app: AppServices, contactId: string | null, page: number, now = new Date(), customerId?: string): Promise<OrdersView> {
  if (!contactId) return { state: "not_linked" };
  const mirrored = await invoicesReady(app);
  if (mirrored) return fromMirror(app, contactId, page, mirrored.refreshedAt);
  const cached = await cachedPage(app, contactId, page);
  if (cached && now.getTime() - cached.fetchedAt.getTime() < INVOICE_TTL_MS) return fromCache(cached, null);
  // Never ask Zoho for a page it has not told us exists: a script walking ?page=1..1000 costs nothing.
  if (!cached && page > 1) {
    const previous = await cachedPage(app, contactId, page - 1);
    if (!previous?.hasMore) return { state: "no_such_page", page };
  }
  if (!(await countCustomerCall(app, contactId, now))) return fallback(cached, "customer_cap");

  const client = new ZohoClient({ db: app.db, env: app.env, purpose: "invoice", subject: { customerId } });
  try {
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
    return { state: "ok", invoices, hasMore: result.hasMore, page, asOf: now.toISOString(), stale: false, reason: null };
  } catch (error) {
    if (!(error instanceof ZohoError)) throw error;
    // Refused before anything reached Zoho (share used up, pacing, no connection): not the customer's call.
    if (client.calls === 0) await refundCustomerCall(app, contactId, now);
    log("warn", "invoices unavailable from Zoho", { kind: error.kind, page });
    return fallback(cached, error.kind === "daily_limit" && error.details.local ? "share_used" : "zoho_unavailable");
  }
}

async function fromMirror(app: AppServices, contactId: string, page: number, refreshedAt: Date): Promise<OrdersView> {
  const { items, hasMore } = await invoicesOf(app.db, contactId, page, INVOICES_PER_PAGE);
  if (page > 1 && items.length === 0) return { state: "no_such_page", page };
  const invoices: Invoice[] = items.map((i) => ({
    invoice_id: i.invoiceId,
    invoice_number: i.invoiceNumber,
    date: i.date,
    due_date: i.dueDate,
    status: i.status,
    total: Number(i.total),
    balance: Number(i.balance),
    currency_code: i.currencyCode,
  }));
  return { state: "ok", invoices, hasMore, page, asOf: refreshedAt.toISOString(), stale: false, reason: null };
}

async function cachedPage(app: AppServices, contactId: string, page: number): Promise<CachedPage | undefined> {
  const [row] = await app.db
    .select()
    .from(zohoInvoiceCache)
    .where(and(eq(zohoInvoiceCache.contactId, contactId), eq(zohoInvoiceCache.page, page)));
  return row;
}

const fromCache = (c: CachedPage, reason: NotFreshReason | null): OrdersView => ({
  state: "ok",
  invoices: c.invoices as Invoice[],
  hasMore: c.hasMore,
  page: c.page,
  asOf: c.fetchedAt.toISOString(),
  stale: reason !== null,
  reason,
});

const fallback = (cached: CachedPage | undefined, reason: NotFreshReason): OrdersView =>
  cached ? fromCache(cached, reason) : { state: "unavailable", reason };

/** Counts one Zoho call against the contact's daily cap; false when the cap is reached (atomic). */
async function countCustomerCall(app: AppServices, contactId: string, now: Date): Promise<boolean> {
  const cap = app.env.ZOHO_ORDERS_CALLS_PER_CUSTOMER;
  const result = await app.db.execute(sql`
    insert into zoho_order_calls (day, contact_id, calls) values (${ledgerDay(now, app.env.ZOHO_DAY_TIMEZONE)}::date, ${contactId}, 1)
    on conflict (day, contact_id) do update set calls = zoho_order_calls.calls + 1 where zoho_order_calls.calls < ${cap}
    returning calls`);
  return result.rows.length > 0;
}

async function refundCustomerCall(app: AppServices, contactId: string, now: Date) {
  await app.db.execute(sql`
    update zoho_order_calls set calls = greatest(calls - 1, 0) where day = ${ledgerDay(now, app.env.ZOHO_DAY_TIMEZONE)}::date and contact_id = ${contactId}`);
}
