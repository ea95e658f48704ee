// The Worker's env as the tests give it: real variable shapes, bindings injected by the global setup,
// and a recording queue in place of Cloudflare's.
import { env as testBindings } from "cloudflare:test";
import type { WorkerEnv } from "~/context.server";
import { recordingQueue } from "./queue-recorder";

type Bindings = {
  TEST_ADMIN_DATABASE_URL: string;
  TEST_DATABASE_WS_PROXY: string;
  TEST_SANDBOX_URL: string;
  TEST_MAIL_SMTP_PORT: string;
  TEST_MAIL_INBOX_URL: string;
  /** A relay that refuses addresses at undeliverable.test (550) and greylists greylisted.test (450): tests/workers/refusing-relay.ts. */
  TEST_REFUSING_SMTP_PORT: string;
};
export const bindings = testBindings as unknown as Bindings;

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
