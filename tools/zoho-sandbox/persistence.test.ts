// The sandbox's state outlives its process when it is given a state file (`npm run dev`): a restart finds
// the contacts, invoices and tokens it had, ids never repeat (also after a reset), the file is never seen
// half written, and a stop (SIGTERM) saves the last change. Without a file nothing is written.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SandboxControl } from "./control-client";
import { readStateFile } from "./persistence";
import { startZohoSandbox, type Sandbox } from "./server";
import { ORG } from "./test-harness";

const dirs: string[] = [];
const open: Sandbox[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function stateFile() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cangoods-sandbox-state-"));
  dirs.push(dir);
  return path.join(dir, "zoho-sandbox", "state.json");
}

async function start(file?: string) {
  const sandbox = await startZohoSandbox({ port: 0, stateFile: file });
  open.push(sandbox);
  return { sandbox, control: new SandboxControl(sandbox.url) };
}

async function stop(sandbox: Sandbox) {
  open.splice(open.indexOf(sandbox), 1);
  await sandbox.close();
}

async function books<T = Record<string, unknown>>(sandbox: Sandbox, token: string, p: string, init: RequestInit = {}) {
  const res = await fetch(`${sandbox.url}/books/v3${p}${p.includes("?") ? "&" : "?"}organization_id=${ORG}`, {
    ...init,
    headers: { Authorization: `Zoho-oauthtoken ${token}`, "Content-Type": "application/json" },
  });
  return { status: res.status, body: (await res.json()) as T };
}

type ContactAnswer = { contact: { contact_id: string; contact_name: string; contact_persons: Array<{ contact_person_id: string }> } };
const createContact = async (sandbox: Sandbox, token: string, name: string) =>
  (await books<ContactAnswer>(sandbox, token, "/contacts", { method: "POST", body: JSON.stringify({ contact_name: name, contact_persons: [{ first_name: name, email: `${name.replace(/\W/g, "").toLowerCase()}@example.com` }] }) })).body.contact;

/** Every id the sandbox has handed out and still holds: contacts, contact persons, invoices. */
async function allIds(control: SandboxControl, sandbox: Sandbox, token: string) {
  const contacts = await control.listContacts();
  const invoices = (await books<{ invoices: Array<{ invoice_id: string }> }>(sandbox, token, "/invoices?per_page=200")).body.invoices;
  return [...contacts.flatMap((c) => [c.contact_id, ...(c.contact_persons ?? []).map((p) => p.contact_person_id!)]), ...invoices.map((i) => i.invoice_id)].map(Number);
}

describe("the sandbox's state file", () => {
  it("a restarted sandbox with the same file finds the contacts, invoices and tokens it had", async () => {
    const file = stateFile();
    const first = await start(file);
    expect(first.sandbox.restored).toBe(false);
    const tokens = await first.control.issueTokens();
    const nora = await createContact(first.sandbox, tokens.access_token, "Nora New");
    const invoicesBefore = (await books<{ invoices: unknown[] }>(first.sandbox, tokens.access_token, "/invoices?per_page=200")).body.invoices;
    const contactsBefore = (await first.control.listContacts()).map((c) => c.contact_id).sort();
    await stop(first.sandbox);

    const second = await start(file);
    expect(second.sandbox.restored).toBe(true);
    // The access token issued before the restart still works, and so does its refresh token.
    const got = await books<ContactAnswer>(second.sandbox, tokens.access_token, `/contacts/${nora.contact_id}`);
    expect(got).toMatchObject({ status: 200, body: { contact: { contact_id: nora.contact_id, contact_name: "Nora New" } } });
    const refreshed = await fetch(`${second.sandbox.url}/oauth/v2/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "refresh_token", client_id: "sandbox-client-id", client_secret: "sandbox-client-secret", refresh_token: tokens.refresh_token }),
    });
    expect(await refreshed.json()).toHaveProperty("access_token");
    expect((await second.control.listContacts()).map((c) => c.contact_id).sort()).toEqual(contactsBefore);
    expect((await books<{ invoices: unknown[] }>(second.sandbox, tokens.access_token, "/invoices?per_page=200")).body.invoices).toEqual(invoicesBefore);
    // Zoho's day count goes on too: the calls made before the restart still count.
    expect((await second.control.state()).callsToday).toBeGreaterThanOrEqual(3);
  });

  it("a new contact after a restart, or after a reset, never gets an id already used", async () => {
    const file = stateFile();
    const first = await start(file);
    const token = (await first.control.issueTokens()).access_token;
    await createContact(first.sandbox, token, "Before Restart");
    const usedBefore = await allIds(first.control, first.sandbox, token);
    await stop(first.sandbox);

    const second = await start(file);
    const after = await createContact(second.sandbox, token, "After Restart");
    const newIds = [after.contact_id, ...after.contact_persons.map((p) => p.contact_person_id)].map(Number);
    for (const id of newIds) expect(id).toBeGreaterThan(Math.max(...usedBefore));

    // A reset through the control API (the local database still holds its links): the seed comes back with new ids.
    const usedBeforeReset = await allIds(second.control, second.sandbox, token);
    await second.control.reset();
    const fresh = (await second.control.issueTokens()).access_token;
    const seeded = await allIds(second.control, second.sandbox, fresh);
    expect(seeded.length).toBeGreaterThan(40);
    expect(Math.min(...seeded)).toBeGreaterThan(Math.max(...usedBeforeReset));
    await stop(second.sandbox);
    // …and the counter was saved with the reset state.
    const third = await start(file);
    const later = await createContact(third.sandbox, fresh, "After Reset And Restart");
    expect(Number(later.contact_id)).toBeGreaterThan(Math.max(...seeded));
  });

  it("without a file (tests, benches) the state is the process's alone: a reset starts the seed's ids again", async () => {
    const { sandbox, control } = await start();
    expect(sandbox.restored).toBe(false);
    const seeded = (await control.listContacts()).map((c) => c.contact_id).sort();
    await control.addContact({ contact_name: "Only In Memory" });
    await control.reset();
    expect((await control.listContacts()).map((c) => c.contact_id).sort()).toEqual(seeded);
    const again = await start();
    expect(again.sandbox.restored).toBe(false);
    expect((await again.control.listContacts()).map((c) => c.contact_name)).not.toContain("Only In Memory");
  });

  it("a refused state file stops the start with a message saying what to do", async () => {
    const file = stateFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, "{ half a file");
    await expect(startZohoSandbox({ port: 0, stateFile: file })).rejects.toThrow(/not valid JSON.*npm run dev:fresh/);
  });
});

describe("the sandbox process with a state file (npm run sandbox -- --state FILE)", () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
  });

  async function spawnSandbox(file: string) {
    child = spawn(process.execPath, ["--import", "tsx", "tools/zoho-sandbox/main.ts", "--port", "0", "--state", file], { stdio: ["ignore", "pipe", "pipe"] });
    const proc = child;
    let output = "";
    const url = await new Promise<string>((resolve, reject) => {
      proc.stdout!.on("data", (d: Buffer) => {
        output += d;
        const m = output.match(/Zoho sandbox on (http:\/\/\S+)/);
        if (m) resolve(m[1]);
      });
      proc.stderr!.on("data", (d: Buffer) => (output += d));
      proc.once("exit", (code) => reject(new Error(`the sandbox exited (${code}): ${output}`)));
    });
    return { url, proc };
  }

  it("readers never see half a file while it is written, and a stop with SIGTERM saves the last change", async () => {
    const file = stateFile();
    const { url, proc } = await spawnSandbox(file);
    const control = new SandboxControl(url);
    // A big state (each save writes all of it) written again and again while another process reads it.
    let writing = true;
    const writes = (async () => {
      for (let batch = 0; batch < 20; batch++) {
        await Promise.all(Array.from({ length: 50 }, (_, i) => control.addContact({ contact_name: `Bulk ${batch}-${i}`, email: `bulk${batch}.${i}@example.com`, notes: "x".repeat(400) })));
        // Spread over a few seconds however fast the machine is, so several debounced saves land while it reads.
        await new Promise((r) => setTimeout(r, 150));
      }
      writing = false;
    })();
    let reads = 0;
    const sizes = new Set<number>();
    while (writing) {
      const saved = readStateFile(file); // throws on half a file
      if (saved) {
        reads++;
        sizes.add(saved.contacts.length);
      }
      await new Promise((r) => setImmediate(r));
    }
    await writes;
    expect(reads).toBeGreaterThan(20);
    expect(sizes.size).toBeGreaterThan(3); // the file really changed under the reader

    // The last change is within the save's debounce when the process is told to stop: it is saved on the way out.
    await control.addContact({ contact_name: "The Very Last" });
    proc.kill("SIGTERM");
    await new Promise((r) => proc.once("exit", r));
    const { control: again } = await start(file);
    const names = (await again.listContacts()).map((c) => c.contact_name);
    expect(names).toContain("The Very Last");
    expect(names.filter((n) => n.startsWith("Bulk "))).toHaveLength(1000);
  }, 90_000);
});
