import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { requireCustomer } from "~/auth/guards.server";
import { customerForUser } from "~/customers/account.server";
import { RECHECKING_TEXT } from "~/customers/history-access";
import { ordersForCustomer, type NotFreshReason } from "~/customers/orders.server";
import { parseOrdersQuery } from "~/customers/orders-query";
import { formatDate, formatDateTime } from "~/components/format";
import { DataTable, Pager } from "~/components/tables";

export const meta: MetaFunction = () => [{ title: "My orders · Cangoods" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireCustomer(request, context.app);
  const customer = await customerForUser(context.app.db, user.id);
  const query = parseOrdersQuery(new URL(request.url));
  if ("error" in query) return { state: "invalid_page" as const, error: query.error };
  return customer ? ordersForCustomer(context.app, customer, query.page) : ({ state: "not_linked" } as const);
}

// Plain sentences for a page that is not fresh from Zoho: with the cached copy's time, or without a copy.
const STALE: Record<NotFreshReason, (asOf: string) => string> = {
  zoho_unavailable: (asOf) => `Showing your orders as of ${asOf}; we couldn't refresh them just now.`,
  customer_cap: (asOf) => `Showing your orders as of ${asOf}. You have refreshed them many times today; they refresh again tomorrow.`,
  share_used: (asOf) => `Showing your orders as of ${asOf}. Order history has been refreshed as often as we can today; it refreshes again tomorrow.`,
};
const UNAVAILABLE: Record<NotFreshReason, string> = {
  zoho_unavailable: "We can't load your orders right now. Please try again in a little while.",
  customer_cap: "You have loaded your orders many times today, so we can't fetch more of them until tomorrow.",
  share_used: "Order history has been loaded as often as we can today, so we can't fetch more of it until tomorrow.",
};

const STATUS: Record<string, string> = { paid: "Paid", overdue: "Overdue", sent: "Awaiting payment", draft: "Being prepared", partially_paid: "Partly paid", void: "Cancelled" };

export default function Orders() {
  const view = useLoaderData<typeof loader>();
  return (
    <section className="card" aria-labelledby="orders-title">
      <p>
        <Link to="/account">← My account</Link>
      </p>
      <h1 id="orders-title">My orders</h1>
      {view.state === "verify_email" ? (
        <p role="status" className="alert-banner" data-testid="orders-verify">
          Please verify your email address to see your orders: open the link we sent you. Until then we show no order history on this account, so
          nobody else can see it.
        </p>
      ) : view.state === "checking" ? (
        <p role="status" data-testid="orders-checking">
          We found what may be your previous orders. Our team checks them before showing them here; there is nothing you need to do.
        </p>
      ) : view.state === "rechecking" ? (
        <p role="status" data-testid="orders-rechecking">
          {RECHECKING_TEXT}
        </p>
      ) : view.state === "not_linked" ? (
        <p role="status">Your order history is not linked to this account yet. It appears here as soon as it is; there is nothing you need to do.</p>
      ) : view.state === "invalid_page" ? (
        <p role="alert">
          {`That page doesn't exist (${view.error}). `}
          <Link to="/account/orders">Go to your newest orders</Link>
        </p>
      ) : view.state === "no_such_page" ? (
        <p role="status">
          {"There are no older orders. "}
          <Link to="/account/orders">Go to your newest orders</Link>
        </p>
      ) : view.state === "unavailable" ? (
        <p role="status">{UNAVAILABLE[view.reason]}</p>
      ) : (
        <>
          {view.reason ? (
            <p role="status" className="alert-banner">{STALE[view.reason](formatDateTime(view.asOf))}</p>
          ) : null}
          {view.invoices.length === 0 ? (
            <p>{view.page === 1 ? "You have no orders yet." : "No more orders."}</p>
          ) : (
            <DataTable
              columns={[
                { header: "Invoice" },
                { header: "Date" },
                { header: "Due", hideSmall: true },
                { header: "Status" },
                { header: "Total" },
                { header: "Balance" },
              ]}
            >
              {view.invoices.map((i) => {
                const money = new Intl.NumberFormat("en-PH", { style: "currency", currency: i.currency_code });
                return (
                  <tr key={i.invoice_id}>
                    <td>{i.invoice_number}</td>
                    <td>{formatDate(i.date)}</td>
                    <td className="hide-sm">{formatDate(i.due_date)}</td>
                    <td>{STATUS[i.status] ?? i.status}</td>
                    <td>{money.format(i.total)}</td>
                    <td>{money.format(i.balance)}</td>
                  </tr>
                );
              })}
            
            </DataTable>
          )}
          <Pager
            previous={view.page > 1 ? { to: `/account/orders?page=${view.page - 1}`, label: "← Newer" } : null}
            next={view.hasMore ? { to: `/account/orders?page=${view.page + 1}`, label: "Older →" } : null}
          />
        </>
      )}
    </section>
  );
}
