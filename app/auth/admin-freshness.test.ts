import { describe, expect, it } from "vitest";
import { activityIsStale, factorCheckIsRecent, isIdle } from "./admin-freshness";

const NOW = new Date("2026-12-02T12:00:00Z");
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();

describe("an admin session's idleness", () => {
  it.each([
    ["29 minutes since the last request, 30 allowed", { lastActiveAt: ago(29) }, 30, false],
    ["31 minutes since the last request", { lastActiveAt: ago(31) }, 30, true],
    ["the last request counts, not the sign-in's factor check", { lastActiveAt: ago(5), factorCheckedAt: ago(120) }, 30, false],
    ["a session from before idle timeouts counts from its factor check", { factorCheckedAt: ago(45) }, 30, true],
    ["a session with no timestamp is not idle (its first request starts the count)", {}, 30, false],
    ["a shorter setting", { lastActiveAt: ago(11) }, 10, true],
  ] as const)("%s", (_name, activity, minutes, idle) => {
    expect(isIdle(activity, minutes, NOW)).toBe(idle);
  });

  it("activity is written down at most once a minute", () => {
    expect(activityIsStale({}, NOW)).toBe(true);
    expect(activityIsStale({ lastActiveAt: ago(0.5) }, NOW)).toBe(false);
    expect(activityIsStale({ lastActiveAt: ago(1) }, NOW)).toBe(true);
  });
});

describe("a recent factor check", () => {
  it.each([
    ["checked 4 minutes ago, 5 allowed", ago(4), 5, true],
    ["checked 6 minutes ago, 5 allowed", ago(6), 5, false],
    ["exactly at the window's end", ago(5), 5, false],
    ["a window of 0 asks every time", ago(0), 0, false],
    ["half a minute (fractions allowed)", ago(0.25), 0.5, true],
    ["never checked (an admin setting a factor up)", undefined, 5, false],
  ] as const)("%s", (_name, checkedAt, minutes, recent) => {
    expect(factorCheckIsRecent({ factorCheckedAt: checkedAt }, minutes, NOW)).toBe(recent);
  });
});
