import { defineConfig, devices } from "@playwright/test";

// End-to-end tests in Debian's Chromium against the real Worker (wrangler dev), real Postgres and
// the Zoho sandbox, all started by tests/e2e/global-setup.ts on their own ports.
// The base port is chosen once by the main process and inherited by Playwright's workers, so two runs
// on one machine do not collide (the worker's inspector uses worker + 1000).
// Below Linux's ephemeral range (32768+), so no outgoing connection can be holding one of them.
process.env.E2E_BASE_PORT ??= String(20000 + (process.pid % 2000) * 6);
const base = Number(process.env.E2E_BASE_PORT);
export const E2E_PORTS = { postgres: base, proxy: base + 1, sandbox: base + 2, worker: base + 3, mailSmtp: base + 4, mailWeb: base + 5 };

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results",
  globalSetup: "./tests/e2e/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORTS.worker}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
});
