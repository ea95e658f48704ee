import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

// Folder boundaries (core no-restricted-imports; a later block replaces the rule, so each block lists all
// that applies to its files). The jobs table has one owner: the job store, app/sync/jobs/. Layers and cycles
// are checked on the whole import graph by tools/architecture.test.ts (dependency-cruiser).
const jobsTableOwner = { name: "~/db/schema", importNames: ["zohoSyncQueue"], message: "Statements on zoho_sync_queue live in the job store, app/sync/jobs/." };
const noRoutes = { group: ["~/routes/*", "../routes/*"], message: "Domain modules do not import routes." };
const restrict = (...patterns) => ["error", { paths: [jobsTableOwner], patterns: [noRoutes, ...patterns] }];

export default tseslint.config(
  { ignores: ["build/**", ".wrangler/**", ".data/**", "node_modules/**", "test-results/**", "playwright-report/**"] },
  ...tseslint.configs.recommended,
  {
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/ban-ts-comment": ["error", { "ts-ignore": "allow-with-description" }],
      "no-console": "off",
    },
  },
  { files: ["app/**/*.{ts,tsx}", "tools/**/*.ts", "scripts/**/*.ts", "workers/**/*.ts"], ignores: ["app/routes/**"], rules: { "no-restricted-imports": restrict() } },
  { files: ["app/routes/**/*.{ts,tsx}"], rules: { "no-restricted-imports": ["error", { paths: [jobsTableOwner] }] } },
  // The job store itself may read the table through drizzle (its tooling verbs do).
  { files: ["app/sync/jobs/**/*.ts"], rules: { "no-restricted-imports": ["error", { patterns: [noRoutes] }] } },
  {
    // The Zoho client knows nothing of sync, accounts or customers: they call it, never the other way round.
    files: ["app/zoho/**/*.ts"],
    rules: {
      "no-restricted-imports": restrict({
        group: ["~/sync/*", "~/auth/*", "~/customers/*", "../sync/*", "../auth/*", "../customers/*"],
        message: "app/zoho is the Zoho client: pass what it needs in (a callback, a value) instead of importing sync, auth or customers.",
      }),
    },
  },
  {
    // The schema imports only the sync vocabulary (shared with the check constraints).
    files: ["app/db/**/*.ts"],
    rules: {
      "no-restricted-imports": restrict({
        group: ["~/*.server", "~/*/*", "../*.server", "../*/*", "!../sync/vocabulary"],
        message: "app/db imports only the sync vocabulary.",
      }),
    },
  },
);
