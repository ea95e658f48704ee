// Applies drizzle/ migrations to DATABASE_URL (or the local one from .dev.vars).
import { applyMigrations } from "@tools/local-stack/migrate";
import { readDevVars } from "@tools/local-stack/stack";

const url = process.env.DATABASE_URL ?? readDevVars().DATABASE_URL;
if (!url) {
  console.error("db:migrate: set DATABASE_URL (for Neon, the direct connection string).");
  process.exit(2);
}
await applyMigrations(url);
console.log("Migrations applied.");
