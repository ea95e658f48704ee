// A script's database pool outlives what happens to the server: when `npm run dev:fresh` drops a database or a
// bench stops its Postgres, the pool's idle connections are ended by the server. That is reported (a warning),
// never an unhandled 'error' event that kills the script and hides why it stopped (issue 22).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it, vi } from "vitest";
import { openNodeDb } from "./node-db";
import { dropDatabase, ensureDatabase, startLocalPostgres, type LocalPostgres } from "./postgres";
import { freePorts } from "./processes";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "cangoods-node-db-"));
fs.chmodSync(root, 0o755); // as root, Postgres runs as the postgres account, which must enter it
let postgres: LocalPostgres | undefined;
afterAll(async () => {
  await postgres?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

it("idle connections ended by a dropped database or a stopped server are reported, not thrown", async () => {
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  const [port] = await freePorts(1);
  postgres = await startLocalPostgres({ dataDir: path.join(root, "pg"), port, persistent: false });
  await ensureDatabase(postgres.url("postgres"), "dropped");
  await ensureDatabase(postgres.url("postgres"), "kept");
  const dropped = openNodeDb(postgres.url("dropped"), 2);
  const kept = openNodeDb(postgres.url("kept"), 2);
  await Promise.all([dropped.pool.query("select 1"), kept.pool.query("select 1")]); // an idle connection in each pool

  await dropDatabase(postgres.url("postgres"), "dropped"); // ends every connection to it (with force)
  await vi.waitFor(() => expect(warn).toHaveBeenCalledWith(expect.stringMatching(/idle connection closed: terminating connection/)), { timeout: 5000 });

  warn.mockClear();
  await postgres.stop();
  postgres = undefined;
  await vi.waitFor(() => expect(warn).toHaveBeenCalledWith(expect.stringMatching(/idle connection closed/)), { timeout: 5000 });
  await Promise.all([dropped.close(), kept.close()]);
  warn.mockRestore();
}, 60_000);
