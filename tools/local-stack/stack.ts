// Starts the pieces of the local system: embedded Postgres, the WebSocket proxy, the Zoho sandbox, the mail
// catcher and the Worker under `wrangler dev`. Used by `npm run dev`, the test setups, the benchmarks and
// chaos runs. Process helpers (ports, waiting, stopping, running a command) are in processes.ts.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { mailCatcherVars, startMailCatcher, type MailCatcher } from "./mail-catcher";
import { applyMigrations } from "./migrate";
import { dropDatabase, ensureDatabase, startLocalPostgres, type LocalPostgres } from "./postgres";
import { killTree, ROOT, run, waitForHttp } from "./processes";
import { startWsProxy, type WsProxy } from "./ws-proxy";

export type StackPorts = { postgres: number; proxy: number; sandbox: number; worker?: number; mailSmtp?: number; mailWeb?: number };

export type Stack = {
  postgres: LocalPostgres;
  proxy: WsProxy;
  sandboxUrl: string;
  /** The sandbox's state came from `sandboxStateFile` (false: freshly seeded). */
  sandboxRestored: boolean;
  databaseUrl: string;
  wsProxy: string;
  /** The mail catcher (maildev), when its ports were given. */
  mail?: MailCatcher;
  stop(): Promise<void>;
};

export async function startBackingServices(opts: {
  ports: StackPorts;
  dataDir: string;
  persistent: boolean;
  database: string;
  sandboxSeed?: "default" | "empty";
  /** Keep the sandbox's state in this file (npm run dev); without it the sandbox lives in memory (tests, benches). */
  sandboxStateFile?: string;
  /** Drop the database first (npm run dev:fresh), so it starts empty and migrated. */
  recreateDatabase?: boolean;
  log?: (line: string) => void;
}): Promise<Stack> {
  const log = opts.log ?? (() => {});
  const postgres = await startLocalPostgres({ dataDir: opts.dataDir, port: opts.ports.postgres, persistent: opts.persistent, log });
  const stops: Array<() => Promise<void>> = [() => postgres.stop()];
  try {
    if (opts.recreateDatabase) await dropDatabase(postgres.url("postgres"), opts.database);
    await ensureDatabase(postgres.url("postgres"), opts.database);
    const databaseUrl = postgres.url(opts.database);
    await applyMigrations(databaseUrl);
    const proxy = await startWsProxy({ port: opts.ports.proxy });
    stops.unshift(() => proxy.close());
    const { startZohoSandbox } = await import("@tools/zoho-sandbox/server");
    const sandbox = await startZohoSandbox({ port: opts.ports.sandbox, seed: opts.sandboxSeed ?? "default", stateFile: opts.sandboxStateFile, log });
    stops.unshift(() => sandbox.close());
    let mail: MailCatcher | undefined;
    if (opts.ports.mailSmtp && opts.ports.mailWeb) {
      mail = await startMailCatcher({ smtpPort: opts.ports.mailSmtp, webPort: opts.ports.mailWeb, log });
      stops.unshift(() => mail!.stop());
    }
    return {
      mail,
      postgres,
      proxy,
      sandboxUrl: sandbox.url,
      sandboxRestored: sandbox.restored,
      databaseUrl,
      wsProxy: `127.0.0.1:${proxy.port}/v1`,
      stop: async () => {
        for (const stop of stops) await stop().catch(() => {});
      },
    };
  } catch (error) {
    for (const stop of stops) await stop().catch(() => {});
    throw error;
  }
}

/** Variables for a Worker running against a local stack. */
export function localWorkerVars(stack: Stack, workerUrl: string, extra: Record<string, string> = {}) {
  return {
    APP_ENV: "development",
    APP_URL: workerUrl,
    DATABASE_URL: stack.databaseUrl,
    DATABASE_WS_PROXY: stack.wsProxy,
    SESSION_SECRET: "local-session-secret-not-for-production-0123456789",
    TOKEN_ENCRYPTION_KEY: "bG9jYWwtZGV2LWtleS0zMi1ieXRlcy1sb25nLSEhISE=",
    CRON_SECRET: "local-cron-secret-0123456789",
    ZOHO_CLIENT_ID: "sandbox-client-id",
    ZOHO_CLIENT_SECRET: "sandbox-client-secret",
    ZOHO_ACCOUNTS_URL: stack.sandboxUrl,
    ZOHO_ORGANIZATION_ID: "10234695",
    // Test, bench and chaos traffic all comes from 127.0.0.1: the per-address abuse limits would stop
    // it after ten registrations (the per-email limits still apply).
    RATE_LIMIT_ADDRESS_FACTOR: "10000",
    ...(stack.mail ? mailCatcherVars(stack.mail.smtpPort) : {}),
    ...extra,
  };
}

export function buildApp() {
  return run("npx", ["remix", "vite:build"], { quiet: true });
}

export type WorkerProcess = { url: string; child: ChildProcess; stop(): Promise<void> };

/** `wrangler dev --test-scheduled`: the real Worker in workerd with a local queue and /__scheduled. */
export async function startWorker(opts: {
  port: number;
  vars: Record<string, string>;
  persistTo: string;
  log?: (line: string) => void;
  inspectorPort?: number;
  /** Another wrangler config (the benchmark's variant without a queue binding). */
  config?: string;
}): Promise<WorkerProcess> {
  const args = [
    "wrangler", "dev", "--test-scheduled", "--ip", "127.0.0.1", "--port", String(opts.port),
    "--persist-to", opts.persistTo, "--show-interactive-dev-session=false",
    "--inspector-port", String(opts.inspectorPort ?? opts.port + 1000),
  ];
  if (opts.config) args.push("--config", opts.config);
  for (const [k, v] of Object.entries(opts.vars)) args.push("--var", `${k}:${v}`);
  const child = spawn("npx", args, {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const onLine = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line.trim()) opts.log?.(line);
  };
  child.stdout?.on("data", onLine);
  child.stderr?.on("data", onLine);
  const url = `http://127.0.0.1:${opts.port}`;
  await waitForHttp(`${url}/`, 90_000, child);
  return {
    url,
    child,
    stop: () => killTree(child),
  };
}

/**
 * A Worker under `wrangler dev` that is started again when it exits on its own: `wrangler dev` 4.86 can exit
 * mid-run with an empty `✘ [ERROR]` (its ProxyWorker loses a connection under load: cloudflare/workers-sdk#15317,
 * #15451), which is the local dev server failing, not the app. Like a Worker redeploy in production, the queue's
 * messages and the database survive (`persistTo`); `restarts` says how often it happened, and `whenUp()` resolves
 * once the Worker answers again (HTTP clients wait on it: see `retryWhileRestarting` in http-session.ts).
 */
export type SupervisedWorker = { url: string; readonly restarts: number; readonly gaveUp: boolean; whenUp(): Promise<void>; stop(): Promise<void> };

export async function startSupervisedWorker(
  opts: Parameters<typeof startWorker>[0] & { maxRestarts?: number; onRestart?: (n: number, code: number | null) => void },
): Promise<SupervisedWorker> {
  let current = await startWorker(opts);
  let restarts = 0;
  let stopping = false;
  let gaveUp = false;
  let up: Promise<void> = Promise.resolve();
  const watch = (w: WorkerProcess) =>
    w.child.once("exit", (code) => {
      if (stopping) return;
      if (restarts >= (opts.maxRestarts ?? 5)) {
        gaveUp = true;
        return;
      }
      restarts++;
      opts.onRestart?.(restarts, code);
      up = startWorker(opts).then(
        (next) => {
          current = next;
          watch(next);
        },
        () => {
          gaveUp = true;
        },
      );
    });
  watch(current);
  return {
    url: current.url,
    get restarts() {
      return restarts;
    },
    get gaveUp() {
      return gaveUp;
    },
    whenUp: () => up,
    async stop() {
      stopping = true;
      await up.catch(() => {});
      await current.stop();
    },
  };
}

export function readDevVars(file = path.join(ROOT, ".dev.vars")): Record<string, string> {
  if (!fs.existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    const m = line.match(/^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/);
    if (m) out[m[1]] = m[2].replace(/^"(.*)"$/, "$1");
  }
  return out;
}
