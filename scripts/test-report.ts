// How `npm test` counts: the runners' JSON reports (not their text) give passed/failed/skipped; a check
// without tests (typecheck, lint, build, the chaos run) counts as one. CI reads the last line.

export type Counts = { passed: number; failed: number; skipped: number };

export const NONE: Counts = { passed: 0, failed: 0, skipped: 0 };

type VitestReport = {
  numPassedTests?: number;
  numFailedTests?: number;
  numPendingTests?: number;
  numTodoTests?: number;
  testResults?: Array<{ status?: string; assertionResults?: Array<{ status?: string }> }>;
};

type PlaywrightSuite = {
  title?: string;
  specs?: Array<{ title?: string; file?: string; line?: number; tests?: Array<{ status?: string }> }>;
  suites?: PlaywrightSuite[];
};

type PlaywrightReport = {
  stats?: { expected?: number; unexpected?: number; flaky?: number; skipped?: number };
  errors?: unknown[];
  suites?: PlaywrightSuite[];
};

/** Vitest's JSON report. A file that failed to load has no failed test but is a failure all the same. */
export function countVitest(report: VitestReport): Counts {
  const brokenFiles = (report.testResults ?? []).filter(
    (file) => file.status === "failed" && !(file.assertionResults ?? []).some((t) => t.status === "failed"),
  ).length;
  return {
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + brokenFiles,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

/** Playwright's JSON report: a flaky test passed on retry; an error outside tests (global setup) is a failure. */
export function countPlaywright(report: PlaywrightReport): Counts {
  const s = report.stats ?? {};
  const unexpected = s.unexpected ?? 0;
  return {
    passed: (s.expected ?? 0) + (s.flaky ?? 0),
    failed: unexpected + (unexpected === 0 && (report.errors?.length ?? 0) > 0 ? 1 : 0),
    skipped: s.skipped ?? 0,
  };
}

/** Tests that failed first and passed on their retry ("file:line title"): printed, so a flake is never silent. */
export function flakyPlaywrightTests(report: PlaywrightReport): string[] {
  const out: string[] = [];
  const walk = (suite: PlaywrightSuite) => {
    for (const spec of suite.specs ?? [])
      if ((spec.tests ?? []).some((t) => t.status === "flaky")) out.push(`${spec.file ?? "?"}:${spec.line ?? "?"} ${spec.title ?? ""}`);
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of report.suites ?? []) walk(suite);
  return out;
}

/** The bench smoke's report (`npm run bench -- --smoke --report FILE`): one test per suite. */
export function countBenchSmoke(report: { suites?: Array<{ ok?: boolean }> }): Counts {
  const suites = report.suites ?? [];
  return { passed: suites.filter((s) => s.ok === true).length, failed: suites.filter((s) => s.ok !== true).length, skipped: 0 };
}

/**
 * A step's counts from its exit code and report. A runner that exited non-zero without a counted failure
 * (crash, setup error, missing report) still counts one failure; a report with failures counts them even
 * when the runner exited 0.
 */
export function stepCounts(exitCode: number | null, counted: Counts | null): Counts {
  if (!counted) return exitCode === 0 ? { ...NONE, passed: 1 } : { ...NONE, failed: 1 };
  if (exitCode !== 0 && counted.failed === 0) return { ...counted, failed: 1 };
  return counted;
}

export function addCounts(all: Counts[]): Counts {
  return all.reduce((a, b) => ({ passed: a.passed + b.passed, failed: a.failed + b.failed, skipped: a.skipped + b.skipped }), NONE);
}

/** The run's last line: `N passed, N failed` (then `, N skipped` when there were any). */
export function summaryLine(c: Counts): string {
  return `${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ""}`;
}
