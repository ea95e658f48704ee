import { describe, expect, it } from "vitest";
import { formatAddress, formatDate, formatDateTime } from "./format";

describe("dates on screen", () => {
  it("shows times in the shop's time zone and names it", () => {
    expect(formatDateTime("2026-11-25T13:09:00Z")).toBe("Nov 25, 2026, 9:09 PM PHT");
  });
  it("shows calendar dates without a time or zone", () => {
    expect(formatDate("2026-11-20")).toBe("Nov 20, 2026");
  });
  it("shows a dash for a missing or invalid time", () => {
    expect(formatDateTime(null)).toBe("—");
    expect(formatDate("not a date")).toBe("—");
  });
});

describe("addresses on screen", () => {
  it("joins the filled parts of a delivery address on one line", () => {
    expect(formatAddress({ deliveryMethod: "delivery", addressLine1: "12 Rizal St", addressLine2: " ", city: "Makati", province: "Metro Manila", postalCode: "1200" })).toBe(
      "12 Rizal St, Makati, Metro Manila, 1200",
    );
  });
  it("says pickup for a pickup customer", () => {
    expect(formatAddress({ deliveryMethod: "pickup" })).toBe("Pickup at the store");
  });
});
