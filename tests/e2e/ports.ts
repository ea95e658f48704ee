// The browser tests' ports. The base port is chosen once by Playwright's main process and inherited by
// its workers, so two runs on one machine do not collide (the worker's inspector uses worker + 1000).
// Below Linux's ephemeral range (32768+), so no outgoing connection can be holding one of them.
process.env.E2E_BASE_PORT ??= String(20000 + (process.pid % 3000) * 4);
const base = Number(process.env.E2E_BASE_PORT);
export const E2E_PORTS = { postgres: base, proxy: base + 1, sandbox: base + 2, worker: base + 3 };
