// `npm run dev`: the whole system locally. Embedded Postgres (data in .data/postgres, reused between
// runs), migrations, demo seed, the DB proxy, the Zoho sandbox (state in .data/zoho-sandbox, kept as long as
// the database), and the Worker under `wrangler dev` (app + queue consumer + /__scheduled), plus a local
// clock that fires the hourly cron. `npm run dev:fresh` (`npm run dev -- --fresh`) starts all of it empty.
import fs from "node:fs";
import path from "node:path";
import { DEV_STATE, startDevServices } from "@tools/local-stack/dev-services";
import { DEMO_ADMIN, DEMO_CUSTOMER } from "@tools/local-stack/seed";
import { mailCatcherVars } from "@tools/local-stack/mail-catcher";
import { ROOT } from "@tools/local-stack/processes";
import { buildApp, readDevVars, startWorker, type Stack, type WorkerProcess } from "@tools/local-stack/stack";

const devVarsFile = path.join(ROOT, ".dev.vars");
if (!fs.existsSync(devVarsFile)) {
  fs.copyFileSync(path.join(ROOT, ".dev.vars.example"), devVarsFile);
  console.log("Created .dev.vars from .dev.vars.example (local defaults).");
}
const vars = readDevVars(devVarsFile);
const portOf = (url: string | undefined, fallback: number) => Number(url?.match(/:(\d+)(\/|$)/)?.[1] ?? fallback);
const ports = {
  postgres: portOf(vars.DATABASE_URL, 54329),
  proxy: portOf(vars.DATABASE_WS_PROXY, 54330),
  sandbox: portOf(vars.ZOHO_ACCOUNTS_URL, 8788),
  worker: portOf(vars.APP_URL, 8787),
  mailSmtp: Number(vars.SMTP_PORT ?? 1025),
  mailWeb: 1080,
};
const fresh = process.argv.slice(2).includes("--fresh");
const database = new URL(vars.DATABASE_URL ?? "postgres://x@h/cangoods").pathname.slice(1) || "cangoods";

let stack: Stack | undefined;
let worker: WorkerProcess | undefined;
let cronTimer: NodeJS.Timeout | undefined;
let stopping = false;

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping…");
  if (cronTimer) clearTimeout(cronTimer);
  await worker?.stop();
  await stack?.stop();
  console.log(`Stopped. Your data is kept in ${stack?.postgres.dataDir ?? DEV_STATE.postgres} and ${DEV_STATE.sandbox} (npm run dev:fresh starts afresh).`);
  process.exit(code);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());

// wrangler dev never fires cron triggers by itself: call /__scheduled at the top of every hour.
function scheduleCron(url: string) {
  const now = new Date();
  const next = new Date(now);
  next.setUTCMinutes(0, 0, 0);
  next.setUTCHours(now.getUTCHours() + 1);
  cronTimer = setTimeout(async () => {
    try {
      const res = await fetch(`${url}/__scheduled?cron=0+*+*+*+*`);
      console.log(`[cron] hourly sweep ran (${res.status})`);
    } catch (error) {
      console.log(`[cron] hourly sweep could not run: ${String(error)}`);
    }
    scheduleCron(url);
  }, next.getTime() - now.getTime());
}

// One sweep right after start, so the seeded customers that are due sync while the newcomer watches
// instead of waiting up to an hour for the first cron. Same endpoint an external scheduler would call.
async function sweepNow(url: string) {
  try {
    const res = await fetch(`${url}/api/cron/zoho-sync`, { headers: { Authorization: `Bearer ${vars.CRON_SECRET}` } });
    const s = (await res.json()) as { jobsEnqueued?: number; leasesRecovered?: number; skippedForBudget?: number; error?: string | null };
    const queued = s.jobsEnqueued ?? 0;
    console.log(
      `[sweep] first sweep: ${queued} due customer${queued === 1 ? "" : "s"} queued for Zoho sync` +
        ` (${s.leasesRecovered ?? 0} stalled jobs recovered, ${s.skippedForBudget ?? 0} left for budget)` +
        (s.error ? `: ${s.error}` : queued ? `; watch them at ${url}/admin/customers` : ""),
    );
  } catch (error) {
    console.log(`[sweep] the first sweep could not run: ${String(error)}`);
  }
}

async function main() {
  console.log(fresh ? "Starting afresh: the database, the Zoho sandbox's state and the local queue are emptied…" : "Starting Postgres, the DB proxy, the Zoho sandbox and the mail catcher…");
  const started = await startDevServices({
    root: ROOT,
    ports,
    database,
    encryptionKey: vars.TOKEN_ENCRYPTION_KEY,
    organizationId: vars.ZOHO_ORGANIZATION_ID,
    fresh,
    log: (l) => console.log(l),
  });
  stack = started.stack;
  console.log(started.seeded ? "Seeded demo data." : "Reusing existing data.");
  console.log(started.plan.note);
  console.log("Building the app…");
  await buildApp();
  console.log("Starting the Worker (wrangler dev)…");
  worker = await startWorker({
    port: ports.worker,
    // A .dev.vars made before email existed has no SMTP settings: point the Worker at the catcher.
    vars: vars.SMTP_HOST ? {} : mailCatcherVars(ports.mailSmtp),
    persistTo: path.join(ROOT, DEV_STATE.worker),
    log: (line) => {
      // wrangler's offline noise (it cannot reach workers.cloudflare.com for Request.cf) is not ours.
      if (!/Unable to fetch the `?Request\.cf|isbot|ENOTFOUND workers\.cloudflare\.com|GetAddrInfoReqWrap/.test(line)) console.log(`[worker] ${line}`);
    },
  });
  worker.child.on("exit", (code) => {
    if (!stopping) {
      console.error(`The Worker stopped unexpectedly (${code}).`);
      void stop(1);
    }
  });
  scheduleCron(worker.url);
  console.log(`
Cangoods Portal is running:   ${vars.APP_URL ?? worker.url}
  Admin sign-in:              ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}, then the code of an authenticator app
                              given the secret ${DEMO_ADMIN.totpSecret} (or: npm run admin:code)
  Demo customer:              ${DEMO_CUSTOMER.email} / ${DEMO_CUSTOMER.password}
  Mail inbox (every mail):    ${stack.mail?.inboxUrl ?? "not started"}  (REST: /api/email)
  Zoho Books sandbox:         ${stack.sandboxUrl}  (already connected; /admin/zoho → Reconnect shows the consent flow)
                              control API: ${stack.sandboxUrl}/__control/state
  Run the hourly sweep now:   curl '${worker.url}/__scheduled?cron=0+*+*+*+*'
Press Ctrl-C to stop.`);
  await sweepNow(worker.url);
}

main().catch(async (error) => {
  console.error(`npm run dev failed: ${error instanceof Error ? error.message : String(error)}`);
  await stop(1);
});
