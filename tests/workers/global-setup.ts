// Node side of the workerd tests: embedded Postgres (fresh, wiped at the end), the WebSocket proxy
// the Neon driver goes through, the Zoho sandbox and the mail catcher (the Worker sends real SMTP). The migrated "cangoods_template" database is
// copied into a fresh database by each test file (tests/workers/support/env.ts).
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { freePorts } from "@tools/local-stack/processes";
import { startBackingServices } from "@tools/local-stack/stack";
import { startRefusingRelay } from "./refusing-relay";

declare module "vitest" {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    databaseWsProxy: string;
    sandboxUrl: string;
    mailSmtpPort: string;
    mailInboxUrl: string;
    refusingSmtpPort: string;
  }
}

export default async function setup(project: TestProject) {
  const [postgres, proxy, sandbox, mailSmtp, mailWeb] = await freePorts(5);
  const stack = await startBackingServices({
    ports: { postgres, proxy, sandbox, mailSmtp, mailWeb },
    dataDir: path.join(os.tmpdir(), `cangoods-test-pg-${process.pid}`),
    persistent: false,
    database: "cangoods_template",
  });
  project.provide("adminDatabaseUrl", stack.postgres.url("postgres"));
  project.provide("databaseWsProxy", stack.wsProxy);
  project.provide("sandboxUrl", stack.sandboxUrl);
  project.provide("mailSmtpPort", String(stack.mail!.smtpPort));
  project.provide("mailInboxUrl", stack.mail!.inboxUrl);
  // A relay that refuses some addresses for good (and greylists others), for the undeliverable-address tests.
  const relay = await startRefusingRelay();
  project.provide("refusingSmtpPort", String(relay.port));
  return async () => {
    await relay.close();
    await stack.stop();
  };
}
