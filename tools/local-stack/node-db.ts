// Node-side database access for scripts (seed, admin:create, bench). The Worker uses the Neon driver.
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
// eslint-disable-next-line no-restricted-imports -- drizzle is given the whole schema; statements on the jobs table still go through app/sync/jobs/
import * as schema from "~/db/schema";

export function openNodeDb(databaseUrl: string, max = 4) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max });
  // An idle client's error (the server ended its connection: a stop at the end of a bench or chaos run) is
  // reported, not thrown: unhandled, it crashed the script and hid the error that made it stop (issue 22).
  pool.on("error", (error) => console.warn(`[node-db] idle connection closed: ${error.message}`));
  return { db: drizzle({ client: pool, schema }), pool, close: () => pool.end() };
}
export type NodeDb = ReturnType<typeof openNodeDb>["db"];
