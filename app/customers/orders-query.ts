// The order-history page's URL contract: which page of the customer's invoices (25 a page, newest first).
import { z } from "zod";

// Far past any real customer's history; a bound keeps a script from asking for page 10^9.
export const ORDERS_MAX_PAGE = 200;

export const OrdersQuerySchema = z.object({
  page: z.coerce
    .number({ message: "Page must be a number" })
    .int({ message: "Page must be a whole number" })
    .min(1, { message: "Pages start at 1" })
    .max(ORDERS_MAX_PAGE, { message: `Pages go up to ${ORDERS_MAX_PAGE}` })
    .default(1),
});

/** The page asked for, or the reason it cannot be shown. */
export function parseOrdersQuery(url: URL): { page: number } | { error: string } {
  const raw = url.searchParams.get("page");
  const parsed = OrdersQuerySchema.safeParse({ page: raw === null || raw === "" ? undefined : raw });
  return parsed.success ? parsed.data : { error: parsed.error.issues[0]?.message ?? "Invalid page" };
}
