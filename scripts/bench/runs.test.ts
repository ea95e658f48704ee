import { describe, expect, it } from "vitest";
import { benchCommand, brokenFigures, combineRuns, median, summarizeRuns } from "./runs";

describe("a figure from several runs", () => {
  it.each([
    ["one run is printed as it is", ["p95 125.9 ms (n=200)"], "p95 125.9 ms (n=200)"],
    ["numbers that differ become median (min–max); equal ones stay", ["p50 82.7 ms, p95 125.9 ms (n=200)", "p50 80.1 ms, p95 131.0 ms (n=200)", "p50 85.0 ms, p95 120.4 ms (n=200)"], "p50 82.7 (80.1–85.0) ms, p95 125.9 (120.4–131.0) ms (n=200)"],
    ["the same figure every time", ["2.00 (30 customers)", "2.00 (30 customers)", "2.00 (30 customers)"], "2.00 (30 customers)"],
    ["thousands separators and decimals are kept", ["1,099 registered in 185 s = 5.95/s", "1,092 registered in 186 s = 5.88/s", "1,120 registered in 190 s = 5.90/s"], "1,099 (1,092–1,120) registered in 186 (185–190) s = 5.90 (5.88–5.95)/s"],
    ["an even number of runs: the middle two's mean", ["1.0×", "2.0×", "3.0×", "4.0×"], "2.5 (1.0–4.0)×"],
    ["runs with different outcomes are listed apart", ["took 188 s", "took longer (or part waits for tomorrow)"], "run 1: took 188 s · run 2: took longer (or part waits for tomorrow)"],
  ])("%s", (_label, runs, expected) => {
    expect(summarizeRuns(runs)).toBe(expected);
  });

  it("median", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("combines the runs' rows by suite and name, in the order first printed, counting the runs of each", () => {
    const run = (p95: string, extra = false) => [
      { suite: "calls" as const, name: "whole mix", value: p95 },
      ...(extra ? [{ suite: "calls" as const, name: "missed", value: "one" }] : []),
      { suite: "claim" as const, name: "whole mix", value: "1.0" },
    ];
    expect(combineRuns([run("1.83"), run("1.93", true), run("1.90")])).toEqual([
      { suite: "calls", name: "whole mix", value: "1.90 (1.83–1.93)", runs: 3 },
      { suite: "claim", name: "whole mix", value: "1.0", runs: 3 },
      { suite: "calls", name: "missed", value: "one", runs: 1 },
    ]);
  });
});

describe("the command next to a figure", () => {
  it("names the suite, the options of this run that apply to it, and the repeats", () => {
    const given = { runs: "200", customers: "100000,1000000", count: "360", minutes: "2" };
    expect(benchCommand("registration", given, 3)).toBe("npm run bench -- registration --runs 200 --repeat 3");
    expect(benchCommand("list", given, 3)).toBe("npm run bench -- list --customers 100000,1000000 --repeat 3");
    expect(benchCommand("burst", given, 5)).toBe("npm run bench -- burst --count 360 --minutes 2 --repeat 5");
    expect(benchCommand("calls", given, 3)).toBe("npm run bench -- calls --repeat 3");
  });
});

describe("a smoke run's check of a suite's figures (completion, no thresholds)", () => {
  it.each([
    [[], "printed no figures"],
    [[{ suite: "list" as const, name: "server", value: "p95 NaN ms" }], 'printed "server: p95 NaN ms"'],
    [[{ suite: "list" as const, name: "server", value: "p95 9000.0 ms" }], null],
  ])("%j → %s", (rows, expected) => {
    expect(brokenFigures(rows)).toBe(expected);
  });
});
