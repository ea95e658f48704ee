// `npm test`: every check CI runs, in order, stopping at the first failure with its exit code.
// Typecheck and lint first (seconds), then the Worker build the browser tests use, then the
// Node and workerd suites, Playwright in Debian's Chromium, and a reduced chaos run.
import { spawnSync } from "node:child_process";
import { ROOT } from "@tools/local-stack/stack";

const steps: Array<[string, string[]]> = [
  ["typecheck", ["npx", "tsc", "--noEmit"]],
  ["lint", ["npx", "eslint", "."]],
  ["build", ["npx", "remix", "vite:build"]],
  ["unit + workerd tests", ["npx", "vitest", "run"]],
  ["end-to-end tests (Chromium)", ["npx", "playwright", "test"]],
  // The reduced chaos run: 150 registrations under injected faults, crashes and duplicate deliveries.
  ["chaos run (reduced)", ["npx", "tsx", "scripts/chaos.ts", "--customers", "150"]],
];

const started = Date.now();
for (const [name, [cmd, ...args]] of steps) {
  const t0 = Date.now();
  console.log(`\n▶ ${name}: ${[cmd, ...args].join(" ")}`);
  const result = spawnSync(cmd, args, { cwd: ROOT, stdio: "inherit", env: { ...process.env, CI: process.env.CI ?? "true" } });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✖ ${name} failed after ${seconds}s (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
  console.log(`✔ ${name} (${seconds}s)`);
}
console.log(`\nAll checks passed in ${((Date.now() - started) / 1000).toFixed(0)}s`);
