// The sandbox's state on disk, for `npm run dev` (and `npm run sandbox -- --state FILE`): what a Zoho
// organisation keeps (contacts, invoices, OAuth clients' tokens and codes, settings, the day's call counts)
// and the id counter, so a restart finds what the local database links to and never hands out an id twice.
// Tests and benches give no file: their sandboxes stay in memory and vanish with them.
//
// Written safely: the whole state goes to a temporary file beside the real one, is flushed to disk, then
// renamed over it (a reader or a crash sees the old file or the new one, never half of one). Writes are
// debounced (one per `debounceMs` at most) and flushed at once on close and at process exit.
// Not kept: faults, the call log, webhooks, the movable clock and in-flight counts (a test's tools, not data).
import fs from "node:fs";
import path from "node:path";
import type { AccessToken, AuthCode, Contact, Invoice, RefreshToken, SandboxState, Settings } from "./state";

const VERSION = 1;

export type SavedSandbox = {
  version: typeof VERSION;
  savedAt: string;
  /** The next id the sandbox hands out (contacts, persons, invoices): never lowered, so ids never repeat. */
  nextId: number;
  contacts: Contact[];
  invoices: Invoice[];
  settings: Settings;
  refreshTokens: RefreshToken[];
  accessTokens: AccessToken[];
  codes: AuthCode[];
  dailyCalls: Array<[string, number]>;
  tokenRequests: number;
};

export function snapshot(state: SandboxState, now = new Date()): SavedSandbox {
  return {
    version: VERSION,
    savedAt: now.toISOString(),
    nextId: state.nextId,
    contacts: [...state.contacts.values()],
    invoices: state.invoices,
    settings: state.settings,
    refreshTokens: state.refreshTokens,
    accessTokens: [...state.accessTokens.values()],
    codes: [...state.codes.values()],
    dailyCalls: [...state.dailyCalls],
    tokenRequests: state.tokenRequests,
  };
}

/** Puts a saved state into a new SandboxState (its defaults fill what an older file lacks). */
export function restore(state: SandboxState, saved: SavedSandbox) {
  state.nextId = Math.max(state.nextId, saved.nextId);
  state.contacts = new Map(saved.contacts.map((c) => [c.contact_id, c]));
  // Files written before invoices carried their times: the load time stands in for both.
  state.invoices = saved.invoices.map((i) => ({ ...i, created_time: i.created_time ?? state.iso(), last_modified_time: i.last_modified_time ?? i.created_time ?? state.iso() }));
  state.settings = { ...state.settings, ...saved.settings };
  state.refreshTokens = saved.refreshTokens;
  state.accessTokens = new Map(saved.accessTokens.map((t) => [t.token, t]));
  state.codes = new Map(saved.codes.map((c) => [c.code, c]));
  state.dailyCalls = new Map(saved.dailyCalls);
  state.tokenRequests = saved.tokenRequests;
}

/** Reads a state file: null when there is none; a clear error when it is not one this sandbox wrote. */
export function readStateFile(file: string): SavedSandbox | null {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  let saved: Partial<SavedSandbox>;
  try {
    saved = JSON.parse(text) as Partial<SavedSandbox>;
  } catch (error) {
    throw new Error(`The Zoho sandbox's state file ${file} is not valid JSON (${(error as Error).message}); move it away or start fresh (npm run dev:fresh).`);
  }
  const arrays = ["contacts", "invoices", "refreshTokens", "accessTokens", "codes", "dailyCalls"] as const;
  if (saved.version !== VERSION || typeof saved.nextId !== "number" || arrays.some((k) => !Array.isArray(saved[k])) || typeof saved.settings !== "object")
    throw new Error(`The Zoho sandbox's state file ${file} is not a version ${VERSION} sandbox state; move it away or start fresh (npm run dev:fresh).`);
  return saved as SavedSandbox;
}

/** Replaces `file` with `content` in one step: a temporary file beside it, flushed, then renamed over it. */
export function writeFileAtomically(file: string, content: string) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, "w", 0o600);
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/**
 * The state file of one running sandbox: `changed()` after anything that may have changed the state
 * schedules a write (at most one per `debounceMs`); `flush()` writes now if anything is pending.
 */
export class StateFile {
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  private readonly onExit = () => this.flush();

  constructor(
    readonly file: string,
    private readonly current: () => SandboxState,
    private readonly debounceMs = 200,
    private readonly log: (line: string) => void = (line) => console.error(line),
  ) {
    process.on("exit", this.onExit); // a crash or process.exit still writes the last changes
  }

  /** Loads the file into `state`; false when there is no file yet. */
  loadInto(state: SandboxState): boolean {
    const saved = readStateFile(this.file);
    if (!saved) return false;
    restore(state, saved);
    return true;
  }

  changed() {
    this.dirty = true;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      try {
        this.flush();
      } catch (error) {
        this.dirty = true; // tried again with the next change, and at close
        this.log(`sandbox: could not save its state to ${this.file}: ${String(error)}`);
      }
    }, this.debounceMs);
  }

  flush() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.dirty) return;
    this.dirty = false;
    writeFileAtomically(this.file, JSON.stringify(snapshot(this.current())));
  }

  /** The last write, then no more (the sandbox stopped). */
  close() {
    this.flush();
    process.off("exit", this.onExit);
  }
}
