// Node side of the workerd tests: embedded Postgres (fresh, wiped at the end), the WebSocket proxy
// the Neon driver goes through, and the leases of Zoho sandboxes and mail catchers (the Worker sends real
// SMTP): one set per test file running at a time (./slots.ts). The migrated "cangoods_template" database is
// copied into a fresh database by each test file (tests/workers/support/database.ts).
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { freePorts } from "@tools/local-stack/processes";
import { startBackingServices } from "@tools/local-stack/stack";
import { startRefusingRelay } from "./refusing-relay";
import { startSlotLeases } from "./slots";

declare module "vitest" {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    databaseWsProxy: string;
    slotLeaseUrl: string;
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
  const leases = await startSlotLeases({ sandboxUrl: stack.sandboxUrl, mailSmtpPort: stack.mail!.smtpPort, mailInboxUrl: stack.mail!.inboxUrl });
  project.provide("slotLeaseUrl", leases.url);
  // A relay that refuses some addresses for good (and greylists others), for the undeliverable-address tests
  // (it stores no mail, so files share it).
  const relay = await startRefusingRelay();
  project.provide("refusingSmtpPort", String(relay.port));
  return async () => {
    await relay.close();
    await leases.close();
    await stack.stop();
  };
}
