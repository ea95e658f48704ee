import { describe, expect, it } from "vitest";
import { backlogEta, type BacklogInput } from "./backlog-eta";

const now = new Date("2026-11-25T13:00:00Z");
const base: BacklogInput = { openJobs: 0, callsPerJob: 1, perMinute: 80, remainingToday: 450, dailyShare: 450, now };
const at = (input: Partial<BacklogInput>) => {
  const eta = backlogEta({ ...base, ...input });
  return { calls: eta.calls, finishesAt: eta.finishesAt?.toISOString() ?? null, days: eta.days };
};

describe("backlog ETA", () => {
  it.each<[string, Partial<BacklogInput>, ReturnType<typeof at>]>([
    ["no backlog: done now", {}, { calls: 0, finishesAt: "2026-11-25T13:00:00.000Z", days: 0 }],
    ["under one minute's pace", { openJobs: 40 }, { calls: 40, finishesAt: "2026-11-25T13:00:30.000Z", days: 0 }],
    ["paced: calls / pace (the line keeps the pace's rate)", { openJobs: 400 }, { calls: 400, finishesAt: "2026-11-25T13:05:00.000Z", days: 0 }],
    ["calls per job scale the work", { openJobs: 100, callsPerJob: 1.6 }, { calls: 160, finishesAt: "2026-11-25T13:02:00.000Z", days: 0 }],
    ["over today's share: tomorrow's share, after the morning wake-up", { openJobs: 500, remainingToday: 100 }, { calls: 500, finishesAt: "2026-11-26T00:10:00.000Z", days: 1 }],
    ["several days of shares", { openJobs: 1000, remainingToday: 0 }, { calls: 1000, finishesAt: "2026-11-28T00:06:15.000Z", days: 3 }],
    ["exactly a whole share left for tomorrow", { openJobs: 450, remainingToday: 0 }, { calls: 450, finishesAt: "2026-11-26T00:10:37.500Z", days: 1 }],
    ["a job in line until later: not before it is due", { openJobs: 16, lastDueAt: new Date("2026-11-25T13:01:20Z") }, { calls: 16, finishesAt: "2026-11-25T13:01:20.000Z", days: 0 }],
    ["a job due sooner than the pace allows: the pace decides", { openJobs: 400, lastDueAt: new Date("2026-11-25T13:01:00Z") }, { calls: 400, finishesAt: "2026-11-25T13:05:00.000Z", days: 0 }],
    ["no pace: unknown", { openJobs: 10, perMinute: 0 }, { calls: 10, finishesAt: null, days: 0 }],
  ])("%s", (_, input, expected) => {
    expect(at(input)).toEqual(expected);
  });
});
