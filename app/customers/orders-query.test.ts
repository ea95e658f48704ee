import { describe, expect, it } from "vitest";
import { ORDERS_MAX_PAGE, parseOrdersQuery } from "./orders-query";

const at = (qs: string) => parseOrdersQuery(new URL(`https://portal.example/account/orders${qs}`));

describe("order history page parameter", () => {
  it.each([
    ["", { page: 1 }],
    ["?page=", { page: 1 }],
    ["?page=3", { page: 3 }],
    [`?page=${ORDERS_MAX_PAGE}`, { page: ORDERS_MAX_PAGE }],
    ["?page=0", { error: "Pages start at 1" }],
    ["?page=-2", { error: "Pages start at 1" }],
    ["?page=2.5", { error: "Page must be a whole number" }],
    ["?page=abc", { error: "Page must be a number" }],
    [`?page=${ORDERS_MAX_PAGE + 1}`, { error: `Pages go up to ${ORDERS_MAX_PAGE}` }],
    ["?page=1e9", { error: `Pages go up to ${ORDERS_MAX_PAGE}` }],
  ])("%s → %o", (qs, expected) => {
    expect(at(qs)).toEqual(expected);
  });
});
