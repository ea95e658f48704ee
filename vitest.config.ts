import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const alias = {
  "~": fileURLToPath(new URL("./app", import.meta.url)),
  "@tools": fileURLToPath(new URL("./tools", import.meta.url)),
  "@workers": fileURLToPath(new URL("./workers", import.meta.url)),
};

// Two projects: "unit" runs in Node (pure logic, the Zoho sandbox, scripts); "workers" runs inside
// workerd against real Postgres (through the Neon driver and our proxy) and the Zoho sandbox,
// which tests/workers/global-setup.ts starts. Workers test files run two at a time: each file gets its own
// fresh database and leases its own sandbox and mail catcher (tests/workers/slots.ts). Files share a workerd
// runtime and its loaded modules (isolate: false): loading the app once per file cost more than the tests.
export default defineConfig({
  test: {
    // Logs of passing tests are noise; a failing test still shows everything it printed.
    silent: "passed-only",
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          environment: "node",
          include: ["app/**/*.test.ts", "tools/**/*.test.ts", "scripts/**/*.test.ts"],
          testTimeout: 20_000,
        },
      },
      {
        resolve: { alias },
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                TEST_ADMIN_DATABASE_URL: inject("adminDatabaseUrl"),
                TEST_DATABASE_WS_PROXY: inject("databaseWsProxy"),
                TEST_SLOT_LEASE_URL: inject("slotLeaseUrl"),
                TEST_REFUSING_SMTP_PORT: inject("refusingSmtpPort"),
              },
            },
          })),
        ],
        test: {
          name: "workers",
          include: ["tests/workers/**/*.test.ts"],
          globalSetup: ["tests/workers/global-setup.ts"],
          setupFiles: ["tests/workers/support/lease-slot.ts"],
          maxWorkers: 2,
          isolate: false,
          testTimeout: 30_000,
          hookTimeout: 30_000,
          deps: {
            optimizer: {
              ssr: {
                enabled: true,
                include: [
                  "@remix-run/cloudflare",
                  "@remix-run/server-runtime",
                  "@remix-run/react",
                  "react",
                  "react-dom",
                  "react-dom/server",
                  "react/jsx-runtime",
                  "cookie",
                  "set-cookie-parser",
                ],
              },
            },
          },
        },
      },
    ],
  },
});
