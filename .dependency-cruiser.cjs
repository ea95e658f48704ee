// The house's import rules (README "Architecture"), checked on the whole import graph of app/, workers/,
// tools/ and scripts/ by tools/architecture.test.ts (part of `npm test`). A readable report of the same:
//   npx depcruise app workers tools scripts tests
// Layers only look down: a module may import its own layer and the layers listed before it. Type-only imports
// count too (they couple as much), except that views may take types from any server layer.

/** Bottom first. Each entry: a name and the paths (regular expressions from the repository root) it holds. */
const LAYERS = [
  ["words", "^app/sync/vocabulary\\.ts$|^app/common/"],
  ["platform", "^app/db/|^app/(env|log|context)\\.server\\.ts$"],
  // The admin audit log: one writer every layer above may call (app/audit).
  ["audit", "^app/audit/"],
  ["zoho", "^app/zoho/"],
  ["email", "^app/email/"],
  ["alerts", "^app/alerts/"],
  ["sync", "^app/sync/"],
  ["auth", "^app/auth/"],
  ["customers", "^app/customers/"],
  ["admin", "^app/admin/"],
  ["maintenance", "^app/maintenance/"],
  ["views", "^app/components/"],
  ["routes", "^app/routes/|^app/(root|entry\\.client|entry\\.server)\\.tsx$"],
  // The Worker's edge: what every request passes before and after Remix (admission, security headers).
  ["http", "^app/http/"],
  ["workers", "^workers/"],
];
const SERVER_LAYERS = LAYERS.slice(1, LAYERS.findIndex(([name]) => name === "views"));
const either = (layers) => layers.map(([, path]) => `(${path})`).join("|");

const upward = LAYERS.slice(0, -1).map(([name, path], i) => ({
  name: `layer-${name}-looks-down`,
  comment: `${name} may import only ${LAYERS.slice(0, i).map(([n]) => n).join(", ") || "nothing of the app"} (and itself)`,
  severity: "error",
  from: { path },
  // The words do not even take types from above; the schema builds its constraints from them.
  to: { path: either(LAYERS.slice(i + 1)), pathNot: either(LAYERS.slice(0, i + 1)) },
}));
// A view takes types from any server layer, but no code: server modules never reach the browser through it.
const views = upward.find((rule) => rule.name === "layer-views-looks-down");
views.to.dependencyTypesNot = ["type-only"];
upward.push({
  name: "views-take-only-types-from-the-server",
  comment: "app/components may import the words and other views; from server layers only types",
  severity: "error",
  from: { path: "^app/components/" },
  to: { path: either(SERVER_LAYERS), dependencyTypesNot: ["type-only"] },
});

module.exports = {
  forbidden: [
    ...upward,
    {
      name: "no-cycles",
      comment: "No import cycle anywhere (type-only imports included): a reader can always start at the bottom.",
      severity: "error",
      from: { path: "^(app|workers|tools|scripts)/" },
      to: { circular: true },
    },
    {
      name: "app-imports-no-tooling",
      comment: "The application imports nothing from tools/, scripts/ or tests/.",
      severity: "error",
      from: { path: "^(app|workers)/" },
      to: { path: "^(tools|scripts|tests)/" },
    },
    {
      name: "tools-import-no-scripts-or-tests",
      comment: "tools/ (the sandbox, the local stack) are used by scripts and tests, never the other way round.",
      severity: "error",
      from: { path: "^tools/" },
      to: { path: "^(scripts|tests)/" },
    },
    {
      name: "the-fake-zoho-knows-no-app",
      comment: "The Zoho sandbox speaks Zoho's wire protocol and imports nothing of the app.",
      severity: "error",
      from: { path: "^tools/zoho-sandbox/" },
      to: { path: "^(app|workers)/" },
    },
    {
      name: "job-store-tooling-only-for-tools",
      comment: "The job store's and the mirror's tooling verbs (time travel, seeding, faults) are for tests, chaos and benches only.",
      severity: "error",
      from: { path: "^(app|workers)/", pathNot: "^app/sync/jobs/|^app/zoho/mirror/tooling\\.server\\.ts$" },
      to: { path: "^app/(sync/jobs|zoho/mirror)/tooling\\.server\\.ts$" },
    },
    {
      name: "job-store-sql-stays-inside",
      comment: "The job store's SQL pieces are its own.",
      severity: "error",
      from: { pathNot: "^app/sync/jobs/" },
      to: { path: "^app/sync/jobs/sql\\.ts$" },
    },
    {
      name: "work-phase-reaches-no-database",
      comment: "The work phase (Zoho calls and pure decisions) reaches no database module, not even through types.",
      severity: "error",
      from: { path: "^app/sync/run/work\\.server\\.ts$" },
      to: { path: "^app/db/|^app/sync/jobs/|^node_modules/(drizzle-orm|@neondatabase/serverless|pg)/|\\.store\\.server\\.ts$|^app/zoho/(client|ledger|tokens)\\.server\\.ts$", reachable: true },
    },
    {
      name: "consumer-imports-no-zoho",
      comment: "The consumer reaches Zoho only through the phases (admit, work, settle): it imports nothing of app/zoho.",
      severity: "error",
      from: { path: "^app/sync/consumer\\.server\\.ts$" },
      to: { path: "^app/zoho/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(build|node_modules|\\.wrangler|\\.data)/" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".d.ts"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
