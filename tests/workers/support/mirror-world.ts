// What the tests of Zoho's mirror start from (issue 20, docs/decisions/036-zoho-mirror.md): an env with the mirror
// on, the app's services for one step, the mirror read complete and fresh, and the Zoho calls counted where Zoho
// sees them (the sandbox's call log) and where the portal counts them (the ledger's shares).
import { createAppServices, type WorkerEnv } from "~/context.server";
import { fullReadStep, readChangesNow } from "~/zoho/mirror/read.server";
import { sql } from "./database";
import { testEnv } from "./worker-env";
import { sandbox } from "./zoho-sandbox";

/** The Worker's env with the mirror on: `MIRROR_FULL_READ_DAILY_CALLS` 100 unless `overrides` say otherwise. */
export const mirrorEnv = (databaseUrl: string, overrides: Partial<Record<string, string>> = {}) =>
  testEnv(databaseUrl, { MIRROR_FULL_READ_DAILY_CALLS: "100", ...overrides }).env;

/** The app's services for one run (a cron step, a read), closed after it. */
export async function withApp<T>(env: WorkerEnv, run: (app: ReturnType<typeof createAppServices>) => Promise<T>) {
  const app = createAppServices(env);
  try {
    return await run(app);
  } finally {
    await app.close();
  }
}

/** The first full read to its end, then the hourly incremental read: a complete, fresh mirror. */
export async function completeMirror(env: WorkerEnv) {
  await withApp(env, async (app) => {
    for (let i = 0; i < 10 && !(await fullReadStep(app)).done; i++);
    await readChangesNow(app);
  });
}

/** The calls Zoho Books saw (the sandbox's log, Books paths only). */
export const booksCalls = async () => (await sandbox().calls()).filter((c) => c.path.startsWith("/books/v3/"));

/** The calls each share of the ledger paid, over every day. */
export const ledger = async (databaseUrl: string) =>
  ((await sql(databaseUrl, "select coalesce(sum(sync),0)::int as sync, coalesce(sum(mirror),0)::int as mirror, coalesce(sum(invoice),0)::int as invoice from zoho_api_ledger")) as Array<{ sync: number; mirror: number; invoice: number }>)[0];
