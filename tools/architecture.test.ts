// The house's rules, checked on the whole code base (README "Architecture", docs/decisions/027): the import
// graph as dependency-cruiser resolves it (.dependency-cruiser.cjs: layers only look down, no cycles, the
// work phase reaches no database module), the path of a sync job through its three phases, and the SQL text
// (lint cannot see a table name inside a string): only the job store names the jobs table.
import { cruise, type ICruiseOptions, type ICruiseResult, type IViolation } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SYNC_ACTIONS, SYNC_STATUSES } from "~/sync/vocabulary";

const root = path.resolve(__dirname, "..");
const CHECKED = ["app", "workers", "tools", "scripts", "tests"];
const TIMEOUT = 180_000; // the whole graph takes seconds alone, much longer on a busy shared machine

let options: ICruiseOptions;
let graph: ICruiseResult;

async function cruiseIn(baseDir: string, entries: string[], tsConfig?: string): Promise<ICruiseResult> {
  const ts = tsConfig ? { tsConfig: extractTSConfig(tsConfig) } : undefined;
  const result = await cruise(entries, { ...options, baseDir, ...(tsConfig ? { tsConfig: { fileName: tsConfig } } : { tsConfig: undefined }) }, undefined, ts);
  return result.output as ICruiseResult;
}

beforeAll(async () => {
  options = await extractDepcruiseOptions(path.join(root, ".dependency-cruiser.cjs"));
  graph = await cruiseIn(root, CHECKED, path.join(root, "tsconfig.json"));
}, TIMEOUT);

const broken = (prefix: string) =>
  graph.summary.violations
    .filter((v: IViolation) => v.rule.name.startsWith(prefix))
    .map((v) => `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (cycle ${v.cycle.map((c) => c.name).join(" → ")})` : ""}`);

describe("the import graph", () => {
  it("is the whole code base, resolved (aliases included)", () => {
    const sources = graph.modules.map((m) => m.source);
    for (const module of ["app/sync/consumer.server.ts", "app/sync/run/work.server.ts", "workers/app.ts", "scripts/chaos.ts", "tools/local-stack/stack.ts"])
      expect(sources).toContain(module);
    const unresolved = graph.modules.flatMap((m) => m.dependencies.filter((d) => d.couldNotResolve && /^[~@.]/.test(d.module)).map((d) => `${m.source} → ${d.module}`));
    expect(unresolved).toEqual([]);
  });

  it("has no import running upward: every layer imports only the layers below it", () => {
    expect([...broken("layer-"), ...broken("views-")]).toEqual([]);
  });

  it("has no import cycle in app/, workers/, tools/ or scripts/", () => {
    expect(broken("no-cycles")).toEqual([]);
  });

  it("keeps tooling out of the app and the app out of the Zoho sandbox", () => {
    expect([...broken("app-"), ...broken("tools-"), ...broken("the-fake-zoho"), ...broken("job-store-")]).toEqual([]);
  });

  it("the work phase reaches no database module, not even through a type", () => {
    expect(broken("work-phase-")).toEqual([]);
  });

  it("the consumer reaches Zoho only through admit, work and settle", () => {
    expect(broken("consumer-")).toEqual([]);
    // Every path from the consumer to a module that calls Zoho goes through one of the three phases.
    const phases = ["app/sync/run/admit.server.ts", "app/sync/run/work.server.ts", "app/sync/run/settle.server.ts"];
    const callsZoho = /^app\/zoho\/(client|tokens|oauth|connection)\.server\.ts$/;
    const deps = new Map(graph.modules.map((m) => [m.source, m.dependencies.map((d) => d.resolved)]));
    const seen = new Set<string>();
    const reached: string[] = [];
    const walk = (module: string, trail: string[]) => {
      if (seen.has(module) || phases.includes(module)) return;
      seen.add(module);
      if (callsZoho.test(module)) reached.push([...trail, module].join(" → "));
      for (const next of deps.get(module) ?? []) walk(next, [...trail, module]);
    };
    walk("app/sync/consumer.server.ts", []);
    expect(reached).toEqual([]);
    for (const phase of phases) expect(deps.get("app/sync/consumer.server.ts")).toContain(phase);
  });
});

describe("the rules refuse what they are for", () => {
  // A small house in a temporary folder with the same paths: each case adds one bad import.
  async function violations(files: Record<string, string>) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cangoods-architecture-"));
    try {
      for (const [file, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), text);
      }
      const result = await cruiseIn(dir, [...new Set(Object.keys(files).map((f) => f.split("/")[0]))]);
      return result.summary.violations.map((v) => v.rule.name);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it.each([
    ["the schema imports the link policy", { "app/db/schema.ts": 'export type { X } from "../sync/link-policy";', "app/sync/link-policy.ts": "export type X = 1;" }, "layer-platform-looks-down"],
    ["sync server code imports a view", { "app/sync/sweep.server.ts": 'export { f } from "../components/format";', "app/components/format.ts": "export const f = 1;" }, "layer-sync-looks-down"],
    ["the outbox imports auth", { "app/email/outbox.server.ts": 'export { m } from "../auth/email-tokens.server";', "app/auth/email-tokens.server.ts": "export const m = 1;" }, "layer-email-looks-down"],
    ["a view imports server code", { "app/components/x.tsx": 'export { l } from "../zoho/ledger.server";', "app/zoho/ledger.server.ts": "export const l = 1;" }, "views-take-only-types-from-the-server"],
    ["two modules import each other", { "tools/local-stack/stack.ts": 'export { a } from "./mail-catcher";\nexport const b = 1;', "tools/local-stack/mail-catcher.ts": 'export { b } from "./stack";\nexport const a = 1;' }, "no-cycles"],
    ["the work phase reaches the database through another module", { "app/sync/run/work.server.ts": 'export { f } from "../find.server";', "app/sync/find.server.ts": 'export { d as f } from "../db/client.server";', "app/db/client.server.ts": "export const d = 1;" }, "work-phase-reaches-no-database"],
    ["the consumer imports the Zoho client", { "app/sync/consumer.server.ts": 'export { Z } from "../zoho/client.server";', "app/zoho/client.server.ts": "export const Z = 1;" }, "consumer-imports-no-zoho"],
    ["app code uses the job store's tooling", { "app/admin/x.server.ts": 'export { t } from "../sync/jobs/tooling.server";', "app/sync/jobs/tooling.server.ts": "export const t = 1;" }, "job-store-tooling-only-for-tools"],
    ["the Zoho sandbox imports the app", { "tools/zoho-sandbox/x.ts": 'export { e } from "../../app/zoho/errors";', "app/zoho/errors.ts": "export const e = 1;" }, "the-fake-zoho-knows-no-app"],
  ])("refuses: %s", async (_name, files, rule) => {
    expect(await violations(files)).toContain(rule);
  }, TIMEOUT);

  it("allows what the layers allow: the schema takes the vocabulary, a view takes a server type", async () => {
    expect(
      await violations({
        "app/db/schema.ts": 'export { S } from "../sync/vocabulary";',
        "app/sync/vocabulary.ts": "export const S = 1;",
        "app/components/badge.tsx": 'import type { U } from "../zoho/ledger.server";\nexport type B = U;',
        "app/zoho/ledger.server.ts": "export type U = 1;",
      }),
    ).toEqual([]);
  }, TIMEOUT);
});

describe("one owner for the jobs table", () => {
  const TABLE = ["zoho", "sync", "queue"].join("_"); // spelled apart: this file names no table
  const THIS_FILE = path.relative(root, __filename);

  function sourceFiles(dir: string): string[] {
    if (!fs.existsSync(path.join(root, dir))) return [];
    return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) return sourceFiles(rel);
      return /\.(ts|tsx|js|mjs|cjs|sql)$/.test(e.name) ? [rel] : [];
    });
  }

  it("no module, script or test but the job store (app/sync/jobs/) names the jobs table, in SQL text or code", () => {
    const naming = CHECKED.flatMap(sourceFiles)
      .filter((f) => f !== THIS_FILE)
      .filter((f) => new RegExp(`${TABLE}|zohoSyncQueue`).test(fs.readFileSync(path.join(root, f), "utf8")));
    // The schema defines the table; the job store is the only one that reads or writes it. The personal-data
    // registry names it to classify its columns (it runs no statement: app/db/personal-data.test.ts).
    expect(naming.filter((f) => !f.startsWith("app/sync/jobs/")).sort()).toEqual(["app/db/personal-data.ts", "app/db/schema.ts"]);
    expect(naming.some((f) => f.startsWith("app/sync/jobs/"))).toBe(true);
  });

  it("the job store never spells a status or action inside its SQL (they are bound parameters)", () => {
    for (const file of sourceFiles("app/sync/jobs")) {
      const text = fs.readFileSync(path.join(root, file), "utf8");
      for (const name of [...SYNC_STATUSES, ...SYNC_ACTIONS]) expect(text, file).not.toContain(`'${name}'`);
    }
  });
});
