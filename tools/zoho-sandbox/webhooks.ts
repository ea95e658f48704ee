// Webhook deliveries on contact changes, as a Zoho workflow rule with a webhook action sends them (issue 20 item 7;
// README "Mirror of Zoho"): configured through the control API (POST /__control/webhook { url, secret }) or the
// sandbox's environment (ZOHO_SANDBOX_WEBHOOK_URL, ZOHO_SANDBOX_WEBHOOK_SECRET). The secret goes in a custom header
// (X-Webhook-Secret, as the shop sets it in Zoho's webhook form); the body is the contact as get_contact answers
// it (the contract's response schema: its shape is checked like every answer, drift recorded), or only its id once
// it is deleted. A delivery answered with anything but 2xx, or not answered, is tried again (doubling waits) up
// to `maxAttempts`. Faults: `drop` (the next n deliveries are never sent) and `delayMs` (each waits first).
// Which contacts changed is seen by comparing each contact around every writing request (two writes in one second
// share a change time), only while a webhook is configured (the benches' large directories pay nothing).
import { findOperation, responseMismatches } from "./contract/validate";
import { contactDetail, type Delivery, type SandboxState, type WebhookConfig } from "./state";

export const WEBHOOK_DEFAULTS = { header: "X-Webhook-Secret", maxAttempts: 5, retryDelayMs: 1000, delayMs: 0, drop: 0 };
const ATTEMPT_TIMEOUT_MS = 10_000;

/** The configuration from a control request's body (or the environment); an error text when it is not usable. */
export function webhookConfig(body: Record<string, unknown>, current: WebhookConfig | null): WebhookConfig | string {
  const base = { ...WEBHOOK_DEFAULTS, ...current };
  const url = typeof body.url === "string" ? body.url : current?.url;
  const secret = typeof body.secret === "string" ? body.secret : current?.secret;
  if (!url || !/^https?:\/\//.test(url)) return "url must be the portal's http(s) address of /api/zoho/webhook";
  if (!secret) return "secret is required (the portal's ZOHO_WEBHOOK_SECRET)";
  const num = (key: keyof typeof WEBHOOK_DEFAULTS) => (typeof body[key] === "number" && (body[key] as number) >= 0 ? (body[key] as number) : (base[key] as number));
  return {
    url,
    secret,
    header: typeof body.header === "string" && body.header ? body.header : base.header,
    maxAttempts: Math.max(1, num("maxAttempts")),
    retryDelayMs: num("retryDelayMs"),
    delayMs: num("delayMs"),
    drop: num("drop"),
  };
}

/** The contacts before a writing request: compared afterwards by `deliverChanges`. */
export const contactsBefore = (state: SandboxState) => (state.webhook ? new Map([...state.contacts.values()].map((c) => [c.contact_id, JSON.stringify(c)])) : null);

/** Queues a delivery for each contact created, changed or deleted since `before`. */
export function deliverChanges(state: SandboxState, before: Map<string, string> | null) {
  if (!before || !state.webhook) return;
  for (const c of state.contacts.values()) {
    const was = before.get(c.contact_id);
    if (was === undefined) queue(state, c.contact_id, "created");
    else if (was !== JSON.stringify(c)) queue(state, c.contact_id, "updated");
  }
  for (const id of before.keys()) if (!state.contacts.has(id)) queue(state, id, "deleted");
}

function queue(state: SandboxState, contactId: string, event: Delivery["event"]) {
  const cfg = state.webhook!;
  const delivery: Delivery = { id: state.deliveries.length + 1, contactId, event, status: "pending", attempts: 0, lastStatus: null, at: state.iso() };
  state.deliveries.push(delivery);
  if (state.deliveries.length > 5000) state.deliveries.splice(0, 2500);
  if (cfg.drop > 0) {
    cfg.drop--;
    delivery.status = "dropped";
    return;
  }
  // The body is built when the change happens (Zoho sends the record as the rule fired on it).
  const contact = state.contacts.get(contactId);
  const body = contact ? { contact: contactDetail(contact) } : { contact_id: contactId };
  if (contact) checkShape(state, body.contact as object);
  schedule(state, delivery, JSON.stringify(body), cfg.delayMs);
}

/** The payload is get_contact's `contact`: the contract's response schema says what it may hold. */
function checkShape(state: SandboxState, contact: object) {
  const schema = findOperation("GET", "/contacts/1")?.op.responses["200"];
  if (!schema) return;
  for (const problem of responseMismatches(schema, { code: 0, message: "success", contact })) state.schemaDrift.push(`webhook contact: ${problem}`);
}

function schedule(state: SandboxState, delivery: Delivery, body: string, waitMs: number) {
  const timer = setTimeout(() => {
    state.timers.delete(timer);
    void attempt(state, delivery, body);
  }, waitMs);
  timer.unref?.();
  state.timers.add(timer);
}

async function attempt(state: SandboxState, delivery: Delivery, body: string) {
  const cfg = state.webhook;
  if (!cfg || state.closed) return;
  delivery.attempts++;
  try {
    const res = await fetch(cfg.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", [cfg.header]: cfg.secret },
      body,
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    await res.arrayBuffer().catch(() => undefined);
    delivery.lastStatus = res.status;
    if (res.ok) {
      delivery.status = "delivered";
      return;
    }
  } catch {
    delivery.lastStatus = null;
  }
  if (delivery.attempts >= cfg.maxAttempts) delivery.status = "failed";
  else schedule(state, delivery, body, cfg.retryDelayMs * 2 ** (delivery.attempts - 1));
}

/** Stops every delivery waiting for its turn (a reset, the sandbox closing). */
export function stopDeliveries(state: SandboxState) {
  state.closed = true;
  for (const timer of state.timers) clearTimeout(timer);
  state.timers.clear();
}
