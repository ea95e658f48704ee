import { describe, expect, it } from "vitest";
import { copyAge, decisionMayRefresh, scheduledReadsLeft, type RefreshBudget } from "./freshness";

const at = (iso: string) => new Date(iso);
const dayEnd = at("2026-12-03T00:00:00Z");

describe("the calls the mirror's share keeps for its scheduled reads", () => {
  it.each([
    ["at the start of the day: 24 hours of 2 reads", "2026-12-02T00:00:00Z", 48],
    ["a started hour counts whole", "2026-12-02T22:30:00Z", 4],
    ["in the last minutes", "2026-12-02T23:59:00Z", 2],
    ["at the day's end", "2026-12-03T00:00:00Z", 0],
  ])("%s", (_, now, kept) => expect(scheduledReadsLeft(at(now), dayEnd)).toBe(kept));
});

describe("a sync decision refreshes a stale copy (from the mirror's share)", () => {
  const room: RefreshBudget = { syncLeft: 300, syncCap: 350, mirrorLeft: 60, scheduledReads: 48, passPending: false };
  it.each<[string, Partial<RefreshBudget>, boolean]>([
    ["the sync share has room and the mirror's share calls to spare", {}, true],
    ["the sync share at half or less: the copy as it is (budget pressure)", { syncLeft: 175 }, false],
    ["the mirror's share down to its scheduled reads", { mirrorLeft: 48 }, false],
    ["one call beyond them", { mirrorLeft: 49 }, true],
    ["a weekly pass due keeps a step's pages too", { mirrorLeft: 60, passPending: true }, false],
    ["late in the day fewer reads are kept", { mirrorLeft: 10, scheduledReads: 4 }, true],
  ])("%s", (_, patch, may) => expect(decisionMayRefresh({ ...room, ...patch })).toBe(may));
});

describe("how old a copy is", () => {
  const now = at("2026-12-02T12:00:00Z");
  it.each<[string, string | null, { fresh: boolean; current: boolean }]>([
    ["read 30 s ago: fresh", "2026-12-02T11:59:30Z", { fresh: true, current: true }],
    ["read 5 minutes ago: current, not fresh", "2026-12-02T11:55:00Z", { fresh: false, current: true }],
    ["read 3 hours ago: still current (two hourly reads may fail)", "2026-12-02T09:00:00Z", { fresh: false, current: true }],
    ["read 3 hours and a minute ago: not current (create after a live look)", "2026-12-02T08:59:00Z", { fresh: false, current: false }],
    ["marked stale by a webhook (never read since)", null, { fresh: false, current: false }],
  ])("%s", (_, read, age) => expect(copyAge(read ? at(read) : null, now, 60)).toEqual(age));
});
