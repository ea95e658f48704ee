// The Worker's env as the tests give it: real variable shapes, bindings injected by the global setup,
// and a recording queue in place of Cloudflare's.
import { env as testBindings } from "cloudflare:test";
import type { WorkerEnv } from "~/context.server";
import type { Slot } from "../slots";
import { recordingQueue } from "./queue-recorder";

type Injected = {
  TEST_ADMIN_DATABASE_URL: string;
  TEST_DATABASE_WS_PROXY: string;
  /** Where this file leases its own Zoho sandbox and mail catcher (tests/workers/slots.ts). */
  TEST_SLOT_LEASE_URL: string;
  /** A relay that refuses addresses at undeliverable.test (550) and greylists greylisted.test (450): tests/workers/refusing-relay.ts. */
  TEST_REFUSING_SMTP_PORT: string;
};
const injected = testBindings as unknown as Injected;

let slot: Slot | null = null;

/** Takes a sandbox and a mail catcher for this file (./lease-slot.ts, before the file's first hook). */
export async function leaseSlot() {
  const res = await fetch(`${injected.TEST_SLOT_LEASE_URL}/lease`, { method: "POST" });
  if (!res.ok) throw new Error(`No Zoho sandbox for this test file: ${res.status} ${await res.text()}`);
  slot = (await res.json()) as Slot;
}

/** Gives this file's sandbox and catcher back (after its last test). */
export async function releaseSlot() {
  if (!slot) return;
  await fetch(`${injected.TEST_SLOT_LEASE_URL}/release/${slot.id}`, { method: "POST" });
  slot = null;
}

function leased(): Slot {
  if (!slot) throw new Error("This test file has no Zoho sandbox: tests/workers/support/lease-slot.ts runs before every file (vitest.config.ts setupFiles)");
  return slot;
}

/** What the global setup started, as this file sees it: the shared Postgres and relay, its own sandbox and inbox. */
export const bindings = {
  get TEST_ADMIN_DATABASE_URL() {
    return injected.TEST_ADMIN_DATABASE_URL;
  },
  get TEST_DATABASE_WS_PROXY() {
    return injected.TEST_DATABASE_WS_PROXY;
  },
  get TEST_REFUSING_SMTP_PORT() {
    return injected.TEST_REFUSING_SMTP_PORT;
  },
  get TEST_SANDBOX_URL() {
    return leased().sandboxUrl;
  },
  get TEST_MAIL_SMTP_PORT() {
    return String(leased().mailSmtpPort);
  },
  get TEST_MAIL_INBOX_URL() {
    return leased().mailInboxUrl;
  },
};

export function testEnv(databaseUrl: string, overrides: Partial<Record<string, string>> = {}) {
  const queue = recordingQueue();
  const env: WorkerEnv = {
    APP_ENV: "test",
    APP_URL: "http://portal.test",
    DATABASE_URL: databaseUrl,
    DATABASE_WS_PROXY: bindings.TEST_DATABASE_WS_PROXY,
    SESSION_SECRET: "test-session-secret-0123456789-0123456789",
    TOKEN_ENCRYPTION_KEY: "dGVzdC1lbmNyeXB0aW9uLWtleS0zMi1ieXRlcyEhISE=",
    CRON_SECRET: "test-cron-secret-0123456789",
    ZOHO_CLIENT_ID: "sandbox-client-id",
    ZOHO_CLIENT_SECRET: "sandbox-client-secret",
    ZOHO_ACCOUNTS_URL: bindings.TEST_SANDBOX_URL,
    ZOHO_ORGANIZATION_ID: "10234695",
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: bindings.TEST_MAIL_SMTP_PORT,
    SMTP_SECURITY: "none",
    MAIL_FROM: "Cangoods <shop@cangoods.test>",
    // The mirror of Zoho's directory is off unless a test turns it on (the sync tests count live lookups).
    MIRROR_FULL_READ_DAILY_CALLS: "0",
    ...overrides,
    SYNC_QUEUE: queue,
  };
  return { env, queue };
}
