import { describe, expect, it } from "vitest";
import { budgetDay, budgetDayStart, isTimeZone, nextBudgetDayStart } from "./budget-day";

describe("the budget day (UTC unless ZOHO_DAY_TIMEZONE says otherwise)", () => {
  it.each([
    // [now, zone, day, next day starts]
    ["2026-12-02T23:30:00Z", "UTC", "2026-12-02", "2026-12-03T00:00:00.000Z"],
    ["2026-12-31T23:59:59Z", "UTC", "2026-12-31", "2027-01-01T00:00:00.000Z"],
    // Manila is UTC+8 all year: 16:30 UTC is already the next day there.
    ["2026-12-02T16:30:00Z", "Asia/Manila", "2026-12-03", "2026-12-03T16:00:00.000Z"],
    ["2026-12-02T15:59:00Z", "Asia/Manila", "2026-12-02", "2026-12-02T16:00:00.000Z"],
    // Los Angeles the day before daylight saving ends (PDT, UTC-7), and after it (PST, UTC-8).
    ["2026-10-31T12:00:00Z", "America/Los_Angeles", "2026-10-31", "2026-11-01T07:00:00.000Z"],
    ["2026-11-01T12:00:00Z", "America/Los_Angeles", "2026-11-01", "2026-11-02T08:00:00.000Z"],
  ])("%s in %s is day %s; the next starts at %s", (now, zone, day, next) => {
    expect(budgetDay(new Date(now), zone)).toBe(day);
    expect(nextBudgetDayStart(new Date(now), zone).toISOString()).toBe(next);
    expect(budgetDay(nextBudgetDayStart(new Date(now), zone), zone)).not.toBe(day);
  });

  it("today's start and days back land on the day's first instant", () => {
    expect(budgetDayStart(new Date("2026-12-02T16:30:00Z"), "Asia/Manila").toISOString()).toBe("2026-12-02T16:00:00.000Z");
    expect(budgetDay(budgetDayStart(new Date("2026-03-01T10:00:00Z"), "UTC", -1), "UTC")).toBe("2026-02-28");
  });

  it("knows time zones by their IANA names only", () => {
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Asia/Manila")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
  });
});
