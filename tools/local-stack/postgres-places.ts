// Where the local Postgres runs from. As root, PostgreSQL refuses to run as root, so initdb/postgres run as
// the `postgres` account, which must be able to enter every folder on the way to the binaries and the data.
// A clone under a folder only root can enter (/root, `mktemp -d`) fails there; these decisions move the
// binaries (copied once) and the data to a shared cache instead. Pure: the callers gather the folders.

export type Folder = { path: string; mode: number; uid: number; gid: number };
export type Account = { uid: number; gids: number[] };

/** The first folder `who` cannot enter (no execute permission for it), or null when the way is open. */
export function firstBlockingFolder(chain: Folder[], who: Account): string | null {
  for (const folder of chain) {
    const bit = folder.uid === who.uid ? 0o100 : who.gids.includes(folder.gid) ? 0o010 : 0o001;
    if ((folder.mode & bit) === 0) return folder.path;
  }
  return null;
}

/** "/a/b/c" → ["/", "/a", "/a/b", "/a/b/c"]: every folder the kernel walks through. */
export function foldersOnTheWay(absolutePath: string): string[] {
  const parts = absolutePath.split("/").filter(Boolean);
  return ["/", ...parts.map((_, i) => `/${parts.slice(0, i + 1).join("/")}`)];
}

export type PlaceInput = {
  runningAsRoot: boolean;
  nativeDir: string;
  /** First folder on the way to the binaries the postgres account cannot enter. */
  nativeBlockedAt: string | null;
  dataDir: string;
  /** First folder on the way to the data folder's parent the postgres account cannot enter. */
  dataBlockedAt: string | null;
  /** A shared cache (/var/tmp) and whether the postgres account can enter it. */
  cacheRoot: string;
  cacheBlockedAt: string | null;
  version: string;
  /** A short stable name for dataDir, so a moved development database is found again next time. */
  dataKey: string;
};

export type Places =
  | { ok: true; nativeDir: string; copyNativeFrom?: string; dataDir: string; notes: string[] }
  | { ok: false; message: string };

export function placePostgres(p: PlaceInput): Places {
  if (!p.runningAsRoot || (!p.nativeBlockedAt && !p.dataBlockedAt)) return { ok: true, nativeDir: p.nativeDir, dataDir: p.dataDir, notes: [] };
  const blocked = (p.nativeBlockedAt ?? p.dataBlockedAt)!;
  if (p.cacheBlockedAt) {
    return {
      ok: false,
      message:
        `PostgreSQL runs as the "postgres" account, which cannot enter ${blocked} (nor ${p.cacheBlockedAt}): ` +
        `run  chmod o+x ${blocked}  or clone the project into a folder other accounts can enter (e.g. /srv or /opt).`,
    };
  }
  const cache = `${p.cacheRoot}/cangoods-pg-${p.version}`;
  const notes: string[] = [];
  let nativeDir = p.nativeDir;
  let copyNativeFrom: string | undefined;
  if (p.nativeBlockedAt) {
    nativeDir = `${cache}/native`;
    copyNativeFrom = p.nativeDir;
    notes.push(`PostgreSQL binaries run from ${nativeDir} (the "postgres" account cannot enter ${p.nativeBlockedAt}).`);
  }
  let dataDir = p.dataDir;
  if (p.dataBlockedAt) {
    dataDir = `${cache}/data/${p.dataKey}`;
    notes.push(`PostgreSQL data is in ${dataDir} (the "postgres" account cannot enter ${p.dataBlockedAt}).`);
  }
  return { ok: true, nativeDir, copyNativeFrom, dataDir, notes };
}
