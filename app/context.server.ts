import type { Db, DbHandle } from "./db/client.server";
import { openDb } from "./db/client.server";
import { parseEnv, type AppEnv } from "./env.server";

/** A queue message only says "look at job X": the database row is the truth. */
export type SyncMessage = { jobId: string };

/** Cloudflare bindings and raw variables, as wrangler.toml declares them. */
export interface WorkerEnv {
  SYNC_QUEUE: Queue<SyncMessage>;
  [name: string]: unknown;
}

export type AppServices = {
  env: AppEnv;
  /** Opened on first use, closed when the request or batch ends. */
  readonly db: Db;
  queue: Queue<SyncMessage>;
  requestId: string;
  /** This request's CSRF token (the Worker sets it once the request is admitted). */
  csrfToken: string;
  /** The Content-Security-Policy nonce for this response's inline scripts. */
  cspNonce: string;
  /** Cookies get the Secure flag everywhere but local development and tests. */
  secureCookies: boolean;
  /**
   * Work that must not delay the response (sending mail after a commit). It runs when the request
   * or batch ends, before the database is closed (the Worker keeps it alive with waitUntil).
   */
  afterResponse(task: () => Promise<unknown>): void;
  close(): Promise<void>;
};

export function createAppServices(
  rawEnv: WorkerEnv,
  opts: { csrfToken?: string; requestId?: string; cspNonce?: string } = {},
): AppServices {
  const env = parseEnv(rawEnv);
  let handle: DbHandle | undefined;
  const deferred: Array<() => Promise<unknown>> = [];
  return {
    env,
    get db() {
      handle ??= openDb(env.DATABASE_URL, env.DATABASE_WS_PROXY);
      return handle.db;
    },
    queue: rawEnv.SYNC_QUEUE,
    requestId: opts.requestId ?? crypto.randomUUID(),
    csrfToken: opts.csrfToken ?? "",
    cspNonce: opts.cspNonce ?? "",
    secureCookies: env.APP_ENV === "production",
    afterResponse(task) {
      deferred.push(task);
    },
    async close() {
      // Each task handles its own failure (the outbox keeps what was not sent); never skip the close.
      // A task may defer another (a reset request queues its mail): run until none is left.
      while (deferred.length) for (const task of deferred.splice(0)) await task().catch(() => {});
      const h = handle;
      handle = undefined;
      await h?.close();
    },
  };
}

declare module "@remix-run/cloudflare" {
  interface AppLoadContext {
    cloudflare: { env: WorkerEnv; ctx: ExecutionContext };
    app: AppServices;
  }
}
