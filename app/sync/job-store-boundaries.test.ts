// The folders keep their boundaries in ESLint (docs/decisions/018-job-store.md). The jobs table's one owner
// and the layers of the whole import graph are checked in tools/architecture.test.ts.
import { ESLint } from "eslint";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");

// The jobs table's drizzle object, spelled apart (only the job store names it: tools/architecture.test.ts).
const TABLE_OBJECT = ["zohoSync", "Queue"].join("");

describe("folder boundaries (ESLint)", () => {
  const eslint = new ESLint({ cwd: root });
  const errors = async (code: string, filePath: string) =>
    (await eslint.lintText(code, { filePath: path.join(root, filePath) }))[0].messages.filter((m) => m.ruleId === "no-restricted-imports");

  it.each([
    ["app/zoho imports sync", 'export { runSweep } from "~/sync/sweep.server";', "app/zoho/x.ts"],
    ["app/zoho imports auth", 'export { getSession } from "~/auth/session.server";', "app/zoho/x.ts"],
    ["app/zoho imports customers", 'export { registerCustomer } from "../customers/registration.server";', "app/zoho/x.ts"],
    ["a module outside the job store takes the jobs table", `export { ${TABLE_OBJECT} } from "~/db/schema";`, "app/customers/x.ts"],
    ["a route takes the jobs table", `export { ${TABLE_OBJECT} } from "~/db/schema";`, "app/routes/x.tsx"],
    ["the schema imports app code", 'export { log } from "../log.server";', "app/db/x.ts"],
  ])("refuses: %s", async (_name, code, file) => {
    expect(await errors(code, file)).not.toHaveLength(0);
  });

  it.each([
    ["sync uses the Zoho client", 'export { ZohoClient } from "~/zoho/client.server";', "app/sync/x.ts"],
    ["the schema imports the vocabulary", 'export { SYNC_STATUSES } from "../sync/vocabulary";', "app/db/x.ts"],
  ])("allows: %s", async (_name, code, file) => {
    expect(await errors(code, file)).toHaveLength(0);
  });
});
