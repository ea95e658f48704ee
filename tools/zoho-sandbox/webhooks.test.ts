// Zoho's webhook on contact changes, as the sandbox sends it (issue 20 item 7): to the configured address with the
// secret in its header and the contact as get_contact answers it; tried again while the portal fails; a `drop`
// fault loses deliveries, a `delayMs` fault holds them back.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxForTests } from "./test-harness";

const z = sandboxForTests();

type Received = { path: string; headers: http.IncomingHttpHeaders; body: { contact?: { contact_id: string; status: string; contact_persons: Array<{ email: string }> }; contact_id?: string } };
const portal = { url: "", received: [] as Received[], failNext: 0, server: undefined as unknown as http.Server };

beforeAll(async () => {
  portal.server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      portal.received.push({ path: req.url ?? "", headers: req.headers, body: JSON.parse(raw) });
      const fail = portal.failNext > 0;
      if (fail) portal.failNext--;
      res.writeHead(fail ? 503 : 200, { "Content-Type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => portal.server.listen(0, "127.0.0.1", () => r()));
  portal.url = `http://127.0.0.1:${(portal.server.address() as AddressInfo).port}/api/zoho/webhook`;
});
afterAll(() => new Promise<void>((r) => portal.server.close(() => r())));

/** Waits (bounded) until the sandbox's deliveries satisfy `done`; what they are then. */
async function deliveriesUntil(done: (d: Awaited<ReturnType<typeof z.control.webhookDeliveries>>) => boolean) {
  for (let i = 0; i < 200; i++) {
    const deliveries = await z.control.webhookDeliveries();
    if (done(deliveries)) return deliveries;
    await new Promise((r) => setTimeout(r, 20));
  }
  return z.control.webhookDeliveries();
}

describe("webhook deliveries on contact changes", () => {
  it("an edit, a merge and a delete are delivered with the secret in the header and the contact as get_contact has it; none without a webhook", async () => {
    portal.received = [];
    const [ana, juan] = await z.control.listContacts();
    await z.control.editContact(ana.contact_id, { email: "before@webhook.example" }); // no webhook yet: nothing sent
    await z.control.configureWebhook({ url: portal.url, secret: "s3cret-value", retryDelayMs: 5 });
    await z.control.editContact(ana.contact_id, { email: "ana.webhook@example.com" });
    await z.control.advanceClock(60_000); // the survivor's change time moves (the seed wrote it this second)
    await z.control.mergeContact(ana.contact_id, juan.contact_id);
    await z.control.deleteContact(juan.contact_id);
    const deliveries = await deliveriesUntil((d) => d.length === 4 && d.every((x) => x.status === "delivered"));
    expect(deliveries.map((d) => `${d.event} ${d.contactId} ${d.status}`)).toEqual([
      `updated ${ana.contact_id} delivered`,
      `updated ${ana.contact_id} delivered`,
      `updated ${juan.contact_id} delivered`,
      `deleted ${juan.contact_id} delivered`,
    ]);
    expect(portal.received.every((r) => r.headers["x-webhook-secret"] === "s3cret-value" && r.path === "/api/zoho/webhook")).toBe(true);
    const first = portal.received.find((r) => r.body.contact?.contact_id === ana.contact_id)!;
    expect(first.body.contact!.contact_persons[0].email).toBe("ana.webhook@example.com");
    expect(portal.received.find((r) => r.body.contact?.contact_id === ana.contact_id && r.body.contact.status === "inactive")).toBeDefined();
    // A deletion's payload is the id alone (deliveries are sent as they come, so it need not arrive last).
    expect(portal.received.filter((r) => !r.body.contact).map((r) => r.body)).toEqual([{ contact_id: juan.contact_id }]);
  });

  it("a delivery the portal fails is tried again until it succeeds, and given up after maxAttempts", async () => {
    portal.received = [];
    const [ana, juan] = await z.control.listContacts();
    await z.control.configureWebhook({ url: portal.url, secret: "s3cret-value", retryDelayMs: 5, maxAttempts: 3 });
    portal.failNext = 2;
    await z.control.editContact(ana.contact_id, { contact_name: "Ana Retried" });
    expect((await deliveriesUntil((d) => d[0]?.status === "delivered"))[0]).toMatchObject({ status: "delivered", attempts: 3, lastStatus: 200 });

    portal.failNext = 3;
    await z.control.editContact(juan.contact_id, { contact_name: "Juan Given Up" });
    expect((await deliveriesUntil((d) => d[1]?.status === "failed"))[1]).toMatchObject({ status: "failed", attempts: 3, lastStatus: 503 });
    expect(portal.received.filter((r) => r.body.contact?.contact_id === juan.contact_id)).toHaveLength(3);
  });

  it("faults: a dropped delivery never arrives; a delayed one waits, then arrives", async () => {
    portal.received = [];
    const [ana] = await z.control.listContacts();
    await z.control.configureWebhook({ url: portal.url, secret: "s3cret-value", drop: 1, delayMs: 300 });
    await z.control.editContact(ana.contact_id, { contact_name: "Ana Dropped" });
    await z.control.editContact(ana.contact_id, { contact_name: "Ana Delayed" });
    expect((await z.control.webhookDeliveries()).map((d) => d.status)).toEqual(["dropped", "pending"]);
    await deliveriesUntil((d) => d[1]?.status === "delivered");
    expect(portal.received.map((r) => r.body.contact?.contact_id)).toEqual([ana.contact_id]);
    expect(portal.received).toHaveLength(1);
  });

  it("refuses a webhook without an address or a secret", async () => {
    await expect(z.control.configureWebhook({ url: "not a url", secret: "x" })).rejects.toThrow(/400/);
    await expect(z.control.configureWebhook({ url: portal.url, secret: "" })).rejects.toThrow(/400/);
  });
});
