import { describe, expect, it } from "vitest";
import { customersPerDay, DEFAULT_SYNC_SHARE, REFRESHES_PER_DAY, fullReadCalls, fullReadWallMinutes, mixCost, REFERENCE_MIX } from "./mirror-figures";

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
    ["the same costs all day", { share: 450, refreshes: 0, refreshed: { new: 2, byEmail: 1, byName: 3 }, asIs: { new: 2, byEmail: 1, byName: 3 }, deferredCheck: 0 }, { refreshed: 0, asIs: 250, total: 250 }],
    // 52 refreshed decisions at 0.7 (36.4 calls), the other 313.6 calls at 0.8: 392 more.
    ["mirror refreshes for 52 decisions, free check", { share: 350, refreshes: 52, refreshed: { new: 1, byEmail: 0, byName: 1 }, asIs: { new: 1, byEmail: 0, byName: 2 }, deferredCheck: 0 }, { refreshed: 52, asIs: 392, total: 444 }],
    // Refreshes shared in bursts: the room half (175 calls) at 0.7 = 250, the rest at 0.8 = 218.
    ["refreshes without limit stop at the room half", { share: 350, refreshes: Infinity, refreshed: { new: 1, byEmail: 0, byName: 1 }, asIs: { new: 1, byEmail: 0, byName: 2 }, deferredCheck: 0 }, { refreshed: 250, asIs: 218, total: 468 }],
    // A live check (1 call a new customer) adds 0.6 to every customer's cost: 350 / 1.4 = 250.
    ["a live duplicate check", { share: 350, refreshes: 0, refreshed: { new: 1, byEmail: 0, byName: 1 }, asIs: { new: 1, byEmail: 0, byName: 2 }, deferredCheck: 1 }, { refreshed: 0, asIs: 250, total: 250 }],
  ])("%s", (_label, input, expected) => {
    expect(customersPerDay({ mix: REFERENCE_MIX, roomShare: 0.5, ...input })).toEqual(expected);
  });

  it("the mirror's share refreshes for what its scheduled reads leave: 100 − 48", () => {
    expect(REFRESHES_PER_DAY).toBe(52);
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
