import { Pool, neonConfig } from "@neondatabase/serverless";
import type { SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/neon-serverless";
import * as schema from "./schema";

export type Db = ReturnType<typeof drizzle<typeof schema>>;
/** Anything that runs SQL: the Worker's Neon drizzle, a transaction, or the scripts' node-postgres drizzle. */
export type SqlRunner = { execute(query: SQL): Promise<{ rows: unknown[] }> };
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

let configuredProxy: string | undefined;

// Locally the Neon driver reaches a plain Postgres through our loopback WebSocket proxy;
// in production (no proxy) it talks to Neon directly over secure WebSockets.
function configureDriver(wsProxy: string | undefined) {
  if (!wsProxy || configuredProxy === wsProxy) return;
  configuredProxy = wsProxy;
  neonConfig.wsProxy = (host, port) => `${wsProxy}?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
}

export type DbHandle = { db: Db; close(): Promise<void> };

/** One pool per request or queue batch: Workers must not share sockets across requests. */
export function openDb(databaseUrl: string, wsProxy?: string): DbHandle {
  configureDriver(wsProxy);
  const pool = new Pool({ connectionString: databaseUrl, max: 5 });
  pool.on("error", () => {}); // idle-client errors surface on the next query instead of crashing the isolate
  return { db: drizzle({ client: pool, schema }), close: () => pool.end() };
}
