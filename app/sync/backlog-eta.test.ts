import { describe, expect, it } from "vitest";
import { backlogEta } from "./backlog-eta";

const now = new Date("2026-11-25T10:00:00Z");
const base = { callsPerJob: 3, remainingToday: 300, dailyCap: 450, callsPerMinute: 60, now };

describe("backlog ETA at the budget's maximum rate", () => {
  it.each([
    { jobs: 0, finishesAt: null, days: 0, why: "nothing waits" },
    { jobs: 20, finishesAt: "2026-11-25T10:01:00.000Z", days: 0, why: "fits today's budget: minutes at the per-minute pace" },
    { jobs: 100, finishesAt: "2026-11-25T10:05:00.000Z", days: 0, why: "exactly today's remaining budget" },
    { jobs: 101, finishesAt: "2026-11-26T00:01:00.000Z", days: 1, why: "one over: the rest runs after UTC midnight" },
    { jobs: 400, finishesAt: "2026-11-27T00:08:00.000Z", days: 2, why: "150 a day after today's 100" },
  ])("$why ($jobs jobs)", ({ jobs, finishesAt, days }) => {
    const eta = backlogEta({ ...base, jobs });
    expect(eta.finishesAt?.toISOString() ?? null).toBe(finishesAt);
    expect(eta.days).toBe(days);
  });

  it("a budget that allows no sync never finishes", () => {
    expect(backlogEta({ ...base, jobs: 500, remainingToday: 0, dailyCap: 0 })).toMatchObject({ finishesAt: null, days: Infinity });
  });
});
