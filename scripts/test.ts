// `npm test`: every check CI runs. Installs Debian's chromium first when it is missing (or stops with the
// one command to run). Typecheck and lint first (seconds), then the Worker build, the Node and workerd
// suites, Playwright in Chromium, every bench suite at a tiny size, and a reduced chaos run. A failure does not stop the independent checks
// after it (so the totals are complete); what needs the build is skipped when the build failed. One step at a
// time: each runner keeps both cores busy on its own; run side by side they took longer in all (decision 045). Ends with
// the per-step timings and one line, `N passed, N failed`, and exits non-zero when anything failed.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { E2E_WORKER_LOG_FILE } from "../tests/e2e/ports";
import { ensureChromium } from "@tools/local-stack/chromium";
import { ROOT } from "@tools/local-stack/processes";
import { addCounts, countBenchSmoke, countPlaywright, countVitest, flakyPlaywrightTests, NONE, stepCounts, summaryLine, type Counts } from "./test-report";

const reports = fs.mkdtempSync(path.join(os.tmpdir(), "cangoods-test-reports-"));
const vitestJson = (name: string) => path.join(reports, `vitest-${name}.json`);
const playwrightJson = path.join(reports, "playwright.json");
const benchJson = path.join(reports, "bench-smoke.json");

type Step = {
  name: string;
  command: string[];
  env?: Record<string, string>;
  /** Reads the runner's JSON report (null when there is none). */
  report?: () => Counts | null;
  /** Tests that passed only on a retry, by name (printed with the step's result). */
  flaky?: () => string[];
  /** Printed when the step fails: where to look next (a log's last lines). */
  onFailure?: () => void;
  needsBuild?: boolean;
};

const vitest = (project: string): Step => ({
  name: `${project} tests (vitest)`,
  command: ["npx", "vitest", "run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson(project)}`],
  report: () => readJson(vitestJson(project), countVitest),
  needsBuild: project === "workers", // the workerd suite loads the built app
});

const steps: Step[] = [
  { name: "typecheck", command: ["npx", "tsc", "--noEmit"] },
  { name: "lint", command: ["npx", "eslint", "."] },
  { name: "build", command: ["npx", "remix", "vite:build"] },
  vitest("unit"),
  vitest("workers"),
  {
    name: "end-to-end tests (Chromium)",
    command: ["npx", "playwright", "test", "--reporter=list,json"],
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson },
    report: () => readJson(playwrightJson, countPlaywright),
    flaky: () => readJson(playwrightJson, flakyPlaywrightTests) ?? [],
    onFailure: () => printTail(E2E_WORKER_LOG_FILE, 80),
    needsBuild: true,
  },
  // Every `npm run bench` suite once at a tiny size: a bench that no longer runs is a red test (figures are not judged).
  {
    name: "bench smoke (every suite, tiny)",
    command: ["npx", "tsx", "scripts/bench/index.ts", "--smoke", "--skip-build", "--report", benchJson],
    report: () => readJson(benchJson, countBenchSmoke),
    needsBuild: true,
  },
  // The reduced chaos run: 150 registrations under injected faults, crashes and duplicate deliveries.
  { name: "chaos run (reduced)", command: ["npx", "tsx", "scripts/chaos.ts", "--customers", "150", "--skip-build"], needsBuild: true },
];

function printTail(file: string, lines: number) {
  if (!fs.existsSync(file)) return;
  const tail = fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines);
  console.log(`\nLast ${tail.length} lines of ${path.relative(ROOT, file)}:\n${tail.join("\n")}`);
}

function readJson<T, R>(file: string, count: (report: T) => R): R | null {
  try {
    return count(JSON.parse(fs.readFileSync(file, "utf8")) as T);
  } catch {
    return null; // no report: the runner crashed before writing it
  }
}

const browser = ensureChromium();
if (!browser.ok) {
  console.error(browser.line);
  process.exit(1);
}

const started = Date.now();
const results: Array<{ name: string; seconds?: number; counts: Counts; note: string }> = [];
let buildFailed = false;
for (const step of steps) {
  if (step.needsBuild && buildFailed) {
    results.push({ name: step.name, counts: { ...NONE, skipped: 1 }, note: "not run: the build failed" });
    continue;
  }
  const [cmd, ...args] = step.command;
  const t0 = Date.now();
  console.log(`\n▶ ${step.name}: ${step.command.join(" ")}`);
  const result = spawnSync(cmd, args, {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, CI: process.env.CI ?? "true", CHROMIUM_PATH: browser.path, ...step.env },
  });
  const seconds = (Date.now() - t0) / 1000;
  const counts = stepCounts(result.status, step.report?.() ?? null);
  if (step.name === "build" && counts.failed) buildFailed = true;
  const exit = result.status ?? result.signal;
  const flaky = step.flaky?.() ?? [];
  const note = (counts.failed ? `FAILED (exit ${exit})` : "ok") + (flaky.length ? `, ${flaky.length} passed only on retry` : "");
  for (const name of flaky) console.log(`⚠ passed only on its retry (flaky): ${name}`);
  if (counts.failed) step.onFailure?.();
  console.log(`${counts.failed ? "✖" : "✔"} ${step.name} (${seconds.toFixed(1)}s): ${summaryLine(counts)}`);
  results.push({ name: step.name, seconds, counts, note });
}
fs.rmSync(reports, { recursive: true, force: true });

const total = addCounts(results.map((r) => r.counts));
console.log(`\nSteps (${((Date.now() - started) / 1000).toFixed(0)}s in all):`);
for (const r of results) {
  const time = r.seconds === undefined ? "" : `${r.seconds.toFixed(1)}s`;
  console.log(`  ${r.counts.failed ? "✖" : r.seconds === undefined ? "–" : "✔"} ${r.name.padEnd(30)} ${time.padStart(7)}  ${r.note}: ${summaryLine(r.counts)}`);
}
console.log(summaryLine(total));
process.exit(total.failed > 0 ? 1 : 0);
