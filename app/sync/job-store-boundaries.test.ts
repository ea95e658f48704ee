// The jobs table has one owner and the folders keep their boundaries (docs/decisions/018-job-store.md).
import { ESLint } from "eslint";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SYNC_ACTIONS, SYNC_STATUSES } from "./vocabulary";

const root = path.resolve(__dirname, "../..");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(rel);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [rel] : [];
  });
}

describe("one owner for the jobs table", () => {
  it("no application or tooling module but the job store names zoho_sync_queue", () => {
    const naming = [...sourceFiles("app"), ...sourceFiles("tools"), ...sourceFiles("workers")].filter((f) =>
      /zoho_sync_queue|zohoSyncQueue/.test(fs.readFileSync(path.join(root, f), "utf8")),
    );
    // app/db/personal-data.ts classifies the table's columns (which hold personal data); it runs no statement.
    expect(naming.sort()).toEqual(["app/db/personal-data.ts", "app/db/schema.ts", "app/sync/jobs.server.ts"]);
  });

  it("the job store never spells a status or action inside its SQL (they are bound parameters)", () => {
    const store = fs.readFileSync(path.join(root, "app/sync/jobs.server.ts"), "utf8");
    for (const name of [...SYNC_STATUSES, ...SYNC_ACTIONS]) expect(store).not.toContain(`'${name}'`);
  });
});

describe("folder boundaries (ESLint)", () => {
  const eslint = new ESLint({ cwd: root });
  const errors = async (code: string, filePath: string) =>
    (await eslint.lintText(code, { filePath: path.join(root, filePath) }))[0].messages.filter((m) => m.ruleId === "no-restricted-imports");

  it.each([
    ["app/zoho imports sync", 'export { runSweep } from "~/sync/sweep.server";', "app/zoho/x.ts"],
    ["app/zoho imports auth", 'export { getSession } from "~/auth/session.server";', "app/zoho/x.ts"],
    ["app/zoho imports customers", 'export { registerCustomer } from "../customers/registration.server";', "app/zoho/x.ts"],
    ["a module outside the job store takes the jobs table", 'export { zohoSyncQueue } from "~/db/schema";', "app/customers/x.ts"],
    ["a route takes the jobs table", 'export { zohoSyncQueue } from "~/db/schema";', "app/routes/x.tsx"],
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
