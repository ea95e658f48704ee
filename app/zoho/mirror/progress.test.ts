// The mirror card's finish estimate for the first full read (app/zoho/mirror/progress.ts), as a table.
import { describe, expect, it } from "vitest";
import { fullReadEta, type EtaInput } from "./progress";

const base: EtaInput = { stage: "reading", share: 100, usedToday: 0, pagesPerRun: 20, runsLeftToday: 10, pagesLeft: null };

describe("the first full read's finish estimate", () => {
  it.each<[string, Partial<EtaInput>, ReturnType<typeof fullReadEta>]>([
    ["off: nothing to estimate", { stage: "off" }, { kind: "none" }],
    ["complete: nothing to estimate", { stage: "complete", pagesLeft: 5 }, { kind: "none" }],
    ["Zoho gave no count: only the pace (the share)", {}, { kind: "unknown", pagesPerDay: 100 }],
    ["a share above 24 runs of 20 pages: the runs limit the pace", { share: 1000 }, { kind: "unknown", pagesPerDay: 480 }],
    ["pages left fit today's share and runs: how many hourly runs", { pagesLeft: 45 }, { kind: "today", runs: 3, pagesPerDay: 100 }],
    ["today's share is spent: whole days at the daily pace", { pagesLeft: 150, usedToday: 100 }, { kind: "days", days: 2, pagesPerDay: 100 }],
    ["what today's share and runs still read comes first", { pagesLeft: 150, usedToday: 40 }, { kind: "days", days: 1, pagesPerDay: 100 }],
    ["few runs left today: the runs, not the share, limit today", { pagesLeft: 60, runsLeftToday: 2 }, { kind: "days", days: 1, pagesPerDay: 100 }],
    ["a share of 0 while reading: no pace to estimate with", { share: 0, pagesLeft: 10 }, { kind: "unknown", pagesPerDay: 0 }],
  ])("%s", (_name, change, expected) => {
    expect(fullReadEta({ ...base, ...change })).toEqual(expected);
  });
});
