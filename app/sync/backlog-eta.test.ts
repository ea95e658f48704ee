import { describe, expect, it } from "vitest";
import { backlogEta, callsPerJob, spreadOverDays, type EtaInput, type QueueSlice } from "./backlog-eta";

const now = new Date("2026-11-25T13:00:00Z");
const due = (jobs: number, at = now): QueueSlice => ({ at, jobs });
const base: EtaInput = { queue: [], callsPerJob: 1, perMinute: 80, remainingToday: 450, dailyShare: 450, now };
const at = (input: Partial<EtaInput>) => {
  const eta = backlogEta({ ...base, ...input });
  return { calls: eta.calls, finishesAt: eta.finishesAt?.toISOString() ?? null, days: eta.days };
};
const lateEvening = new Date("2026-11-25T23:58:00Z");

describe("backlog ETA: one model of the queue, the shares and the pace", () => {
  it.each<[string, Partial<EtaInput>, ReturnType<typeof at>]>([
    ["no backlog: done now", {}, { calls: 0, finishesAt: "2026-11-25T13:00:00.000Z", days: 0 }],
    ["under one minute's pace", { queue: [due(40)] }, { calls: 40, finishesAt: "2026-11-25T13:00:30.000Z", days: 0 }],
    ["paced: calls / pace (the line keeps the pace's rate)", { queue: [due(400)] }, { calls: 400, finishesAt: "2026-11-25T13:05:00.000Z", days: 0 }],
    ["calls per job scale the work", { queue: [due(100)], callsPerJob: 1.6 }, { calls: 160, finishesAt: "2026-11-25T13:02:00.000Z", days: 0 }],
    ["a job in line until later starts at its slot, then takes its calls", { queue: [due(15), due(1, new Date("2026-11-25T13:01:20Z"))] }, { calls: 16, finishesAt: "2026-11-25T13:01:20.750Z", days: 0 }],
    ["a job due sooner than the pace reaches it: the pace decides", { queue: [due(399), due(1, new Date("2026-11-25T13:01:00Z"))] }, { calls: 400, finishesAt: "2026-11-25T13:05:00.000Z", days: 0 }],
    // Across a budget day.
    ["over today's share: the rest is held for tomorrow's share, after the morning wake-up", { queue: [due(500)], remainingToday: 100 }, { calls: 500, finishesAt: "2026-11-26T00:10:00.000Z", days: 1 }],
    ["today's share used up: everything waits for tomorrow", { queue: [due(100)], callsPerJob: 2, remainingToday: 0 }, { calls: 200, finishesAt: "2026-11-26T00:07:30.000Z", days: 1 }],
    ["several days of shares", { queue: [due(1000)], remainingToday: 0 }, { calls: 1000, finishesAt: "2026-11-28T00:06:15.000Z", days: 3 }],
    ["exactly a whole share left for tomorrow", { queue: [due(450)], remainingToday: 0 }, { calls: 450, finishesAt: "2026-11-26T00:10:37.500Z", days: 1 }],
    ["a drain that crosses midnight with budget left goes on at the pace under the new day's share", { queue: [due(400, lateEvening)], now: lateEvening }, { calls: 400, finishesAt: "2026-11-26T00:03:00.000Z", days: 1 }],
    ["today's share ends before midnight: the rest waits for the wake-up", { queue: [due(400, lateEvening)], now: lateEvening, remainingToday: 100 }, { calls: 400, finishesAt: "2026-11-26T00:08:45.000Z", days: 1 }],
    [
      "jobs spread over days (Retry all failed, backfill) start at their day",
      { queue: [due(2), due(3, new Date("2026-11-26T00:00:00Z"))], callsPerJob: 2, remainingToday: 6 },
      { calls: 10, finishesAt: "2026-11-26T00:00:04.500Z", days: 1 },
    ],
    [
      "jobs held for tomorrow and new ones today: today's go first, tomorrow's share is shared by both",
      { queue: [due(100), due(200, new Date("2026-11-26T00:05:00Z"))], callsPerJob: 2, remainingToday: 100 },
      // Today: 50 jobs (100 calls); tomorrow from 00:05: the other 50 held, then 200 more = 500 calls > 450: 25 on the day after.
      { calls: 600, finishesAt: "2026-11-27T00:05:37.500Z", days: 2 },
    ],
    ["no pace: unknown", { queue: [due(10)], perMinute: 0 }, { calls: 10, finishesAt: null, days: 0 }],
    ["a sync share of 0 with the backlog beyond today: never", { queue: [due(10)], remainingToday: 0, dailyShare: 0 }, { calls: 10, finishesAt: null, days: 0 }],
  ])("%s", (_, input, expected) => {
    expect(at(input)).toEqual(expected);
  });

  it.each([
    [{ workCalls: 0, finishedJobs: 0 }, 2],
    [{ workCalls: 9, finishedJobs: 5 }, 1.8],
    [{ workCalls: 0, finishedJobs: 3 }, 2],
  ])("calls per job from today's work %o: %s", (today, expected) => {
    expect(callsPerJob(today)).toBe(expected);
  });

  it("Retry all failed spreads its jobs: today's affordable share now, then a day's share from each next midnight", () => {
    expect(spreadOverDays(7, 2, 3, now).map((s) => [s.at.toISOString(), s.jobs])).toEqual([
      ["2026-11-25T13:00:00.000Z", 2],
      ["2026-11-26T00:00:00.000Z", 3],
      ["2026-11-27T00:00:00.000Z", 2],
    ]);
    expect(spreadOverDays(2, 5, 3, now)).toEqual([{ at: now, jobs: 2 }]);
    expect(spreadOverDays(2, 0, 3, now)).toEqual([{ at: new Date("2026-11-26T00:00:00Z"), jobs: 2 }]);
  });
});
