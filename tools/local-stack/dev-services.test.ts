// `npm run dev`'s backing services across restarts (everything but the Worker): the database and the Zoho
// sandbox come back as they were (contacts, links, the stored connection's tokens), ids never repeat, and
// `--fresh` empties the database, the sandbox's state and the Worker's local state together.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decryptSecret } from "~/zoho/crypto.server";
import { SandboxControl } from "@tools/zoho-sandbox/control-client";
import { DEV_STATE, planSandbox, startDevServices } from "./dev-services";
import { openNodeDb } from "./node-db";
import { freePorts } from "./processes";

const KEY = "bG9jYWwtZGV2LWtleS0zMi1ieXRlcy1sb25nLSEhISE=";
const root = fs.mkdtempSync(path.join(os.tmpdir(), "cangoods-dev-services-"));
fs.chmodSync(root, 0o755); // as root, Postgres runs as the postgres account, which must enter it
const dataDirs = new Set<string>();
afterAll(() => {
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(root, { recursive: true, force: true });
});

let ports: number[] | undefined;

/** One `npm run dev` start without the Worker: runs `body` against it, then stops it. */
async function withDevServices<T>(fresh: boolean, body: (s: { control: SandboxControl; query: (text: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>; seeded: boolean; plan: ReturnType<typeof planSandbox>; sandboxUrl: string }) => Promise<T>) {
  // The same ports each time, as `npm run dev`'s fixed ones (the stored connection names the sandbox's address).
  ports ??= await freePorts(3);
  const [postgres, proxy, sandbox] = ports;
  const { stack, seeded, plan } = await startDevServices({ root, ports: { postgres, proxy, sandbox }, database: "cangoods_dev_test", encryptionKey: KEY, fresh });
  dataDirs.add(stack.postgres.dataDir);
  const node = openNodeDb(stack.databaseUrl, 1);
  try {
    return await body({ control: new SandboxControl(stack.sandboxUrl), query: async (text, params) => (await node.pool.query(text, params)).rows, seeded, plan, sandboxUrl: stack.sandboxUrl });
  } finally {
    await node.close();
    await stack.stop();
  }
}

async function refreshWorks(sandboxUrl: string, refreshTokenEnc: string) {
  const res = await fetch(`${sandboxUrl}/oauth/v2/token`, {
    method: "POST",
    body: new URLSearchParams({ grant_type: "refresh_token", client_id: "sandbox-client-id", client_secret: "sandbox-client-secret", refresh_token: await decryptSecret(refreshTokenEnc, KEY) }),
  });
  return "access_token" in ((await res.json()) as object);
}

const ids = (contacts: Array<{ contact_id: string; contact_persons?: Array<{ contact_person_id?: string }> }>) =>
  contacts.flatMap((c) => [c.contact_id, ...(c.contact_persons ?? []).map((p) => p.contact_person_id!)]).map(Number);

describe("npm run dev's database and Zoho sandbox across restarts", () => {
  it("a restart finds the contacts, links and tokens; new ids never repeat; --fresh empties both and the Worker's state", async () => {
    // First start: both new, seeded, connected. A contact is created and linked, the Worker leaves a queue file.
    const first = await withDevServices(false, async ({ control, query, seeded, plan }) => {
      expect(seeded).toBe(true);
      expect(plan).toMatchObject({ connect: true, resetSandbox: false });
      const kept = await control.addContact({ contact_name: "Kept Across Restarts", email: "kept@example.com" });
      await query("update customers set zoho_contact_id = $1, zoho_sync_status = 'synced' where email = 'ana.lopez@example.com'", [kept.contact_id]);
      const [token] = await query("select refresh_token_enc from zoho_tokens");
      fs.mkdirSync(path.join(root, DEV_STATE.worker), { recursive: true });
      fs.writeFileSync(path.join(root, DEV_STATE.worker, "queued-message"), "job 1");
      return { kept, refreshTokenEnc: String(token.refresh_token_enc), used: ids(await control.listContacts()) };
    });

    // A restart: the same contacts, the link points at a contact the sandbox still has, the stored tokens still work.
    const afterRestart = await withDevServices(false, async ({ control, query, seeded, plan, sandboxUrl }) => {
      expect(seeded).toBe(false);
      expect(plan).toMatchObject({ connect: false, resetSandbox: false });
      const contacts = await control.listContacts();
      expect(contacts.find((c) => c.contact_id === first.kept.contact_id)?.contact_name).toBe("Kept Across Restarts");
      const [token] = await query("select refresh_token_enc from zoho_tokens");
      expect(token.refresh_token_enc).toBe(first.refreshTokenEnc);
      expect(await refreshWorks(sandboxUrl, first.refreshTokenEnc)).toBe(true);
      const newcomer = await control.addContact({ contact_name: "Nora New", email: "nora.new@example.com" });
      for (const id of ids([newcomer])) expect(id).toBeGreaterThan(Math.max(...first.used));
      return ids(await control.listContacts());
    });
    expect(afterRestart.length).toBe(first.used.length + 2);

    // --fresh: the demo seed alone in the database, the sandbox's seed alone, the Worker's queue gone.
    await withDevServices(true, async ({ control, query, seeded, plan, sandboxUrl }) => {
      expect(seeded).toBe(true);
      expect(plan.connect).toBe(true);
      expect(fs.existsSync(path.join(root, DEV_STATE.worker, "queued-message"))).toBe(false);
      const names = (await control.listContacts()).map((c) => c.contact_name);
      expect(names).not.toContain("Kept Across Restarts");
      expect(names).not.toContain("Nora New");
      expect(names).toContain("Ana Reyes");
      expect(await query("select email from customers where zoho_contact_id is not null")).toEqual([]);
      expect((await query("select count(*)::int as n from customers"))[0].n).toBe(5);
      const [token] = await query("select refresh_token_enc from zoho_tokens");
      expect(await refreshWorks(sandboxUrl, String(token.refresh_token_enc))).toBe(true);
      // A link to a contact from a much later id, for the next case.
      await query("update customers set zoho_contact_id = '460000000099999' where email = 'ana.lopez@example.com'");
    });

    // The sandbox's file lost while the database kept its links (e.g. the first run after upgrading): new ids stay above every linked id.
    fs.rmSync(path.join(root, DEV_STATE.sandbox));
    await withDevServices(false, async ({ control, seeded, plan }) => {
      expect(seeded).toBe(false);
      expect(plan).toMatchObject({ keepIdsAboveLinked: true, connect: true });
      expect(plan.note).toContain("npm run dev:fresh");
      const contact = await control.addContact({ contact_name: "After A Lost State" });
      expect(Number(contact.contact_id)).toBeGreaterThan(460000000099999);
    });
  }, 120_000);
});

describe("what a start does with the sandbox", () => {
  it.each([
    // seeded, restored, connection kept → reset the sandbox, connect, keep ids above the linked ones
    [true, true, false, { resetSandbox: true, connect: true, keepIdsAboveLinked: false }],
    [true, false, false, { resetSandbox: false, connect: true, keepIdsAboveLinked: false }],
    [false, false, true, { resetSandbox: false, connect: true, keepIdsAboveLinked: true }],
    [false, true, false, { resetSandbox: false, connect: true, keepIdsAboveLinked: false }],
    [false, true, true, { resetSandbox: false, connect: false, keepIdsAboveLinked: false }],
  ])("seeded %s, sandbox restored %s, connection kept %s", (seeded, restored, connectionKept, expected) => {
    expect(planSandbox({ seeded, restored, connectionKept })).toMatchObject(expected);
  });
});
