import { describe, expect, it } from "vitest";
import { customersPerDay, DEFAULT_SYNC_SHARE, fullReadCalls, fullReadWallMinutes, mixCost, REFERENCE_MIX } from "./mirror-figures";

describe("customers a day's sync share serves", () => {
  it("the default sync share with the mirror on is 350 (500 − 30 orders − 20 admin − 100 mirror)", () => {
    expect(DEFAULT_SYNC_SHARE).toBe(350);
  });

  it("weighs calls per kind by the mix", () => {
    expect(mixCost(REFERENCE_MIX, { new: 1, byEmail: 0, byName: 3 })).toBeCloseTo(0.9);
    expect(mixCost({ new: 30, byEmail: 20, byName: 10 }, { new: 2, byEmail: 1, byName: 3 })).toBeCloseTo(11 / 6);
  });

  it.each([
    // The same costs all day (no mirror, no deferred check): 450 / 1.8 = 250.
    ["the same costs all day", { share: 450, roomShare: 0.5, room: { new: 2, byEmail: 1, byName: 3 }, pressure: { new: 2, byEmail: 1, byName: 3 }, deferredCheck: 0 }, { room: 125, pressure: 125, total: 250 }],
    // Pressure half at 0.9 a customer: 175 / 0.9 = 194; the room half at 1.9: 175 / 1.9 = 92.
    ["mirror, free duplicate check", { share: 350, roomShare: 0.5, room: { new: 2, byEmail: 1, byName: 4 }, pressure: { new: 1, byEmail: 0, byName: 3 }, deferredCheck: 0 }, { room: 92, pressure: 194, total: 286 }],
    // The same with a live check (1 call for each of the 116.7 pressured new customers, from the next room half).
    ["mirror, live duplicate check", { share: 350, roomShare: 0.5, room: { new: 2, byEmail: 1, byName: 4 }, pressure: { new: 1, byEmail: 0, byName: 3 }, deferredCheck: 1 }, { room: 30, pressure: 194, total: 225 }],
    // Checks that would eat more than the room half leave the room half nothing (never negative).
    ["checks beyond the room half", { share: 100, roomShare: 0.9, room: { new: 2, byEmail: 1, byName: 4 }, pressure: { new: 0.5, byEmail: 0, byName: 0 }, deferredCheck: 5 }, { room: 0, pressure: 300, total: 300 }],
  ])("%s", (_label, input, expected) => {
    expect(customersPerDay({ mix: REFERENCE_MIX, ...input })).toEqual(expected);
  });
});

describe("the first full read's wall time at the configured share", () => {
  const base = { dailyShare: 100, pagesPerRun: 20, runEveryMinutes: 60, secondsPerCall: 0.6 };

  it("counts the mark, the contact pages and the invoice pages", () => {
    expect(fullReadCalls(10_000, 2_000)).toBe(1 + 50 + 10);
    expect(fullReadCalls(100_000, 0)).toBe(1 + 500 + 1);
  });

  it.each([
    // 61 pages: runs at 0, 60, 120 min (20 each), the last page in the 4th run at 180 min.
    ["within a day", 61, { minutes: 180 + 0.01, runs: 4, days: (180 + 0.01) / 1440 }],
    // 100 a day in 5 runs; 601 pages = 6 full days, then 1 page at the start of the 7th.
    ["beyond the share: a day per 100 pages", 601, { minutes: 6 * 1440 + 0.01, runs: 31, days: (6 * 1440 + 0.01) / 1440 }],
    ["nothing to read", 0, { minutes: 0, runs: 0, days: 0 }],
  ])("%s", (_label, calls, expected) => {
    const got = fullReadWallMinutes({ ...base, calls });
    expect(got.runs).toBe(expected.runs);
    expect(got.minutes).toBeCloseTo(expected.minutes, 6);
    expect(got.days).toBeCloseTo(expected.days, 6);
  });

  it("never ends with no share", () => {
    expect(fullReadWallMinutes({ ...base, calls: 10, dailyShare: 0 }).minutes).toBe(Infinity);
  });
});
