// Test environment for code running in workerd: a fresh database per test file (a copy of the
// migrated template), the real Worker env shape, and a queue binding that records what was sent.
import { env as testBindings } from "cloudflare:test";
import { Pool, neonConfig } from "@neondatabase/serverless";
import type { SyncMessage, WorkerEnv } from "~/context.server";

type Bindings = { TEST_ADMIN_DATABASE_URL: string; TEST_DATABASE_WS_PROXY: string; TEST_SANDBOX_URL: string };
export const bindings = testBindings as unknown as Bindings;

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

export type RecordingQueue = Queue<SyncMessage> & { sent: SyncMessage[]; failNext: (n: number) => void };

/** Stands in for the Cloudflare Queue binding: records messages, or fails on demand. */
export function recordingQueue(): RecordingQueue {
  const sent: SyncMessage[] = [];
  let failures = 0;
  const queue = {
    sent,
    failNext(n: number) {
      failures = n;
    },
    async send(message: SyncMessage) {
      if (failures > 0) {
        failures--;
        throw new Error("Queue send failed (injected)");
      }
      sent.push(message);
    },
    async sendBatch(messages: Iterable<MessageSendRequest<SyncMessage>>) {
      for (const m of messages) await queue.send(m.body);
    },
  };
  return queue as unknown as RecordingQueue;
}

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
    ...overrides,
    SYNC_QUEUE: queue,
  };
  return { env, queue };
}
