// Node side of the workerd tests: embedded Postgres (fresh, wiped at the end), the WebSocket proxy
// the Neon driver goes through, and the Zoho sandbox. The migrated "cangoods_template" database is
// copied into a fresh database by each test file (tests/workers/support/env.ts).
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { freePorts, startBackingServices } from "@tools/local-stack/stack";

declare module "vitest" {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    databaseWsProxy: string;
    sandboxUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const [postgres, proxy, sandbox] = await freePorts(3);
  const stack = await startBackingServices({
    ports: { postgres, proxy, sandbox },
    dataDir: path.join(os.tmpdir(), `cangoods-test-pg-${process.pid}`),
    persistent: false,
    database: "cangoods_template",
  });
  project.provide("adminDatabaseUrl", stack.postgres.url("postgres"));
  project.provide("databaseWsProxy", stack.wsProxy);
  project.provide("sandboxUrl", stack.sandboxUrl);
  return () => stack.stop();
}
