// Node side: the Zoho sandboxes and mail catchers the workerd test files lease, one set (a "slot") per file
// running at a time. Test files run two at once (vitest.config.ts); each file empties its sandbox before every
// test and counts the mail it reads, so two files must never share a sandbox or an inbox. A file leases a slot
// before it starts (tests/workers/support/lease-slot.ts) and gives it back after its last test; a slot is
// started when none is free, so a file that could not give its slot back never makes another one wait.
import http from "node:http";
import type net from "node:net";
import { freePorts } from "@tools/local-stack/processes";
import { startMailCatcher } from "@tools/local-stack/mail-catcher";

export type Slot = { id: number; sandboxUrl: string; mailSmtpPort: number; mailInboxUrl: string };
type Started = Slot & { stop(): Promise<void> };

/** `first`: the sandbox and catcher the backing stack already started (slot 1; the others start when needed). */
export async function startSlotLeases(first: Omit<Slot, "id">): Promise<{ url: string; close(): Promise<void> }> {
  const slots: Started[] = [{ ...first, id: 1, stop: async () => {} }];
  const free: Started[] = [...slots];
  let starting: Promise<Started> | null = null;

  async function startSlot(): Promise<Started> {
    const [sandboxPort, smtpPort, webPort] = await freePorts(3);
    const { startZohoSandbox } = await import("@tools/zoho-sandbox/server");
    const sandbox = await startZohoSandbox({ port: sandboxPort, seed: "default" });
    const mail = await startMailCatcher({ smtpPort, webPort });
    const slot: Started = {
      id: slots.length + 1,
      sandboxUrl: sandbox.url,
      mailSmtpPort: mail.smtpPort,
      mailInboxUrl: mail.inboxUrl,
      stop: async () => {
        await mail.stop().catch(() => {});
        await sandbox.close().catch(() => {});
      },
    };
    slots.push(slot);
    return slot;
  }

  async function lease(): Promise<Slot> {
    const ready = free.shift();
    if (ready) return ready;
    // One start at a time (ports and ids stay distinct); a file waiting meanwhile gets the next one.
    while (starting) await starting.catch(() => {});
    const again = free.shift();
    if (again) return again;
    starting = startSlot();
    try {
      return await starting;
    } finally {
      starting = null;
    }
  }

  const server = http.createServer((req, res) => {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const release = /^\/release\/(\d+)$/.exec(req.url ?? "");
    if (req.method === "POST" && req.url === "/lease") {
      lease().then(({ id, sandboxUrl, mailSmtpPort, mailInboxUrl }) => answer(200, { id, sandboxUrl, mailSmtpPort, mailInboxUrl }), (e: unknown) => answer(500, { error: String(e) }));
    } else if (req.method === "POST" && release) {
      const slot = slots.find((s) => s.id === Number(release[1]));
      if (slot && !free.includes(slot)) free.push(slot);
      answer(slot ? 200 : 404, {});
    } else answer(404, {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise((r) => server.close(r));
      for (const slot of slots) await slot.stop();
    },
  };
}
