import { defineConfig } from "vitest/config";

// Two projects: "unit" runs in Node (pure logic, the Zoho sandbox, scripts);
// "workers" runs inside workerd (see vitest.workers.config.ts).
export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias: { "~": new URL("./app", import.meta.url).pathname } },
        test: {
          name: "unit",
          environment: "node",
          include: ["app/**/*.test.ts", "zoho-sandbox/**/*.test.ts", "scripts/**/*.test.ts"],
          testTimeout: 20_000,
        },
      },
    ],
  },
});
