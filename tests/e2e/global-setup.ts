// Starts the whole system for the browser tests and tears it down afterwards.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { E2E_ORIGIN, E2E_PORTS, E2E_WORKER_LOG_FILE } from "./ports";
import { openNodeDb } from "@tools/local-stack/node-db";
import { connectToSandbox } from "@tools/local-stack/sandbox-connect";
import { seedDemoData } from "@tools/local-stack/seed";
import { localWorkerVars, startBackingServices, startWorker } from "@tools/local-stack/stack";

export default async function globalSetup() {
  try {
    return await startEverything();
  } catch (error) {
    // Playwright prints a thrown non-Error as "undefined": say what failed.
    throw new Error(`E2E setup failed (ports ${JSON.stringify(E2E_PORTS)}): ${error instanceof Error ? error.stack : JSON.stringify(error)}`);
  }
}

async function startEverything() {
  const stack = await startBackingServices({
    ports: E2E_PORTS,
    dataDir: path.join(os.tmpdir(), `cangoods-e2e-pg-${process.pid}`),
    persistent: false,
    database: "cangoods_e2e",
  });
  const workerUrl = E2E_ORIGIN;
  const vars = localWorkerVars(stack, workerUrl, { APP_ENV: "test" });
  const { db, close } = openNodeDb(stack.databaseUrl, 1);
  await seedDemoData(db, vars.TOKEN_ENCRYPTION_KEY);
  await connectToSandbox(db, stack.sandboxUrl, vars.TOKEN_ENCRYPTION_KEY);
  await close();
  process.env.E2E_DATABASE_URL = stack.databaseUrl;
  process.env.E2E_TOKEN_ENCRYPTION_KEY = vars.TOKEN_ENCRYPTION_KEY;
  process.env.E2E_SANDBOX_URL = stack.sandboxUrl;
  process.env.E2E_MAIL_INBOX = stack.mail!.inboxUrl;
  // The Worker's log is kept for every run (npm test prints its tail when a browser test fails).
  fs.mkdirSync(path.dirname(E2E_WORKER_LOG_FILE), { recursive: true });
  const workerLog = fs.createWriteStream(E2E_WORKER_LOG_FILE);
  let worker;
  try {
    worker = await startWorker({
      port: E2E_PORTS.worker,
      vars,
      persistTo: path.join(os.tmpdir(), `cangoods-e2e-wrangler-${process.pid}`),
      log: (line) => {
        workerLog.write(`${line}\n`);
        if (process.env.E2E_WORKER_LOG) console.log(`[worker] ${line}`);
      },
    });
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return async () => {
    await worker.stop();
    await stack.stop();
    workerLog.end();
  };
}
