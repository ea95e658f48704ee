import { describe, expect, it } from "vitest";
import { addCounts, countBenchSmoke, countPlaywright, countVitest, flakyPlaywrightTests, stepCounts, summaryLine } from "./test-report";

describe("the test run's totals", () => {
  it("counts vitest's passed, failed and skipped tests, and a file that failed to load as a failure", () => {
    const report = {
      numPassedTests: 40,
      numFailedTests: 2,
      numPendingTests: 1,
      numTodoTests: 1,
      testResults: [
        { status: "failed", assertionResults: [{ status: "failed" }, { status: "failed" }] },
        { status: "failed", assertionResults: [] },
        { status: "passed", assertionResults: [{ status: "passed" }] },
      ],
    };
    expect(countVitest(report)).toEqual({ passed: 40, failed: 3, skipped: 2 });
  });

  it("counts Playwright's flaky tests as passed and a global setup error as a failure", () => {
    expect(countPlaywright({ stats: { expected: 10, unexpected: 1, flaky: 2, skipped: 3 } })).toEqual({ passed: 12, failed: 1, skipped: 3 });
    expect(countPlaywright({ stats: { expected: 0, unexpected: 0 }, errors: [{ message: "E2E setup failed" }] })).toEqual({ passed: 0, failed: 1, skipped: 0 });
  });

  it("counts each bench suite of the smoke run as a test; a suite without a verdict failed", () => {
    expect(countBenchSmoke({ suites: [{ ok: true }, { ok: false }, { ok: true }, {}] })).toEqual({ passed: 2, failed: 2, skipped: 0 });
  });

  it("names the tests that passed only on their retry", () => {
    const report = {
      suites: [
        {
          title: "a.spec.ts",
          specs: [{ title: "steady", file: "a.spec.ts", line: 3, tests: [{ status: "expected" }] }],
          suites: [{ title: "group", specs: [{ title: "wobbly", file: "a.spec.ts", line: 9, tests: [{ status: "flaky" }] }] }],
        },
      ],
    };
    expect(flakyPlaywrightTests(report)).toEqual(["a.spec.ts:9 wobbly"]);
    expect(flakyPlaywrightTests({})).toEqual([]);
  });

  it.each([
    ["a check without a report that passed counts one passed", 0, null, { passed: 1, failed: 0, skipped: 0 }],
    ["a check without a report that failed counts one failed", 2, null, { passed: 0, failed: 1, skipped: 0 }],
    ["a runner that crashed after passing tests still fails", 1, { passed: 5, failed: 0, skipped: 0 }, { passed: 5, failed: 1, skipped: 0 }],
    ["failures in the report count even when the runner exited 0", 0, { passed: 5, failed: 2, skipped: 0 }, { passed: 5, failed: 2, skipped: 0 }],
    ["a runner killed by a signal fails", null, { passed: 5, failed: 0, skipped: 0 }, { passed: 5, failed: 1, skipped: 0 }],
  ])("%s", (_name, exit, counted, expected) => {
    expect(stepCounts(exit, counted)).toEqual(expected);
  });

  it("ends with one line in the form CI parses", () => {
    const total = addCounts([{ passed: 3, failed: 0, skipped: 0 }, { passed: 4, failed: 1, skipped: 0 }]);
    expect(summaryLine(total)).toBe("7 passed, 1 failed");
    expect(summaryLine({ passed: 7, failed: 0, skipped: 2 })).toBe("7 passed, 0 failed, 2 skipped");
    expect(summaryLine(total)).toMatch(/^\d+ passed, \d+ failed(, \d+ skipped)?$/);
  });
});
