// A fresh database per test file (a copy of the migrated template), reached through the production
// driver (Neon over our proxy), and raw SQL for what a test must set up or inspect directly.
import { Pool, neonConfig } from "@neondatabase/serverless";
import { openDb } from "~/db/client.server";
import { bindings } from "./worker-env";

function configureProxy() {
  const proxy = bindings.TEST_DATABASE_WS_PROXY;
  neonConfig.wsProxy = (host, port) => `${proxy}?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
}

/** Creates an empty, migrated database for this test file and returns its URL. */
export async function freshDatabase(): Promise<string> {
  configureProxy();
  const name = `t_${crypto.randomUUID().replaceAll("-", "")}`;
  const pool = new Pool({ connectionString: bindings.TEST_ADMIN_DATABASE_URL, max: 1 });
  try {
    await pool.query(`create database "${name}" template cangoods_template`);
  } finally {
    await pool.end();
  }
  const url = new URL(bindings.TEST_ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export function testDb(databaseUrl: string) {
  return openDb(databaseUrl, bindings.TEST_DATABASE_WS_PROXY);
}

/**
 * Empties every table of the test database (a file's fresh database is migrated and empty; each test starts
 * from the same). The tables are read from the catalogue, so a new table needs no list to be kept. The audit
 * log refuses TRUNCATE (a trigger): the test database's owner switches triggers off for this one statement.
 */
export async function resetDatabase(databaseUrl: string) {
  const tables = (await sql(databaseUrl, "select tablename from pg_tables where schemaname = 'public' order by tablename")) as Array<{ tablename: string }>;
  const keep = ["admin_audit_policy"];
  const emptied = tables.filter((t) => !keep.includes(t.tablename)).map((t) => `"${t.tablename}"`);
  await sql(databaseUrl, `set session_replication_role = replica; truncate ${emptied.join(", ")} cascade; set session_replication_role = origin`);
}

/** Runs SQL against the test database (setting up or inspecting what a test needs directly; jobs: ./jobs.ts). */
export async function sql(databaseUrl: string, text: string, params: unknown[] = []) {
  const { db, close } = testDb(databaseUrl);
  try {
    const client = (db as unknown as { $client: { query(t: string, p: unknown[]): Promise<{ rows: unknown[] }> } }).$client;
    return (await client.query(text, params)).rows;
  } finally {
    await close();
  }
}
