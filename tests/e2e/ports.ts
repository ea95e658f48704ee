// The browser tests' ports. The base port is chosen once by Playwright's main process and inherited by
// its workers, so two runs on one machine do not collide (the worker's inspector uses worker + 1000).
// Below Linux's ephemeral range (32768+), so no outgoing connection can be holding one of them.
import path from "node:path";
import { fileURLToPath } from "node:url";

process.env.E2E_BASE_PORT ??= String(20000 + (process.pid % 2000) * 6);
const base = Number(process.env.E2E_BASE_PORT);
export const E2E_PORTS = { postgres: base, proxy: base + 1, sandbox: base + 2, worker: base + 3, mailSmtp: base + 4, mailWeb: base + 5 };

/**
 * The address the browser tests use and the Worker's APP_URL: `localhost`, not 127.0.0.1, since a passkey's
 * relying party is a domain (docs/decisions/041). localhost resolves to 127.0.0.1, where the Worker listens.
 */
export const E2E_ORIGIN = `http://localhost:${E2E_PORTS.worker}`;

/** The Worker's log of the last browser run (outside test-results, which Playwright empties at its start). */
export const E2E_WORKER_LOG_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", ".e2e", "worker.log");
