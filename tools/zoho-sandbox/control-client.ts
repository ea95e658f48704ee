// Typed client for the sandbox's control API. Uses only fetch, so it also runs inside workerd tests.
import type { Delivery, Fault, Plan, Settings } from "./state";

export type SandboxContact = {
  contact_id: string;
  contact_name: string;
  company_name: string;
  contact_type: string;
  status: string;
  email: string;
  contact_persons?: Array<{ contact_person_id?: string; email?: string | null; first_name: string; last_name: string; mobile?: string; is_primary_contact: boolean }>;
  shipping_address?: { address?: string; street2?: string; city?: string; state?: string; zip?: string; country?: string };
  custom_fields?: Array<{ api_name: string; label: string; index: number; value: string }>;
  [key: string]: unknown;
};
export type SandboxCall = { at: string; method: string; path: string; query: Record<string, string>; status: number; code: number | null };
export type IssuedTokens = { access_token: string; refresh_token: string; api_domain: string; expires_in: number; scope: string };

export class SandboxControl {
  constructor(private readonly baseUrl: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}/__control${path}`, {
      method,
      headers: body === undefined ? undefined : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`sandbox control ${method} ${path} → ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  }

  reset(seed: "default" | "empty" = "default") {
    return this.call<{ ok: true }>("POST", "/reset", { seed });
  }
  /** Every id handed out from now on is above `id` (kept with the state when the sandbox has a state file). */
  keepIdsAbove(id: string | number) {
    return this.call<{ nextId: string }>("POST", "/ids", { above: Number(id) });
  }
  async listContacts() {
    return (await this.call<{ contacts: SandboxContact[] }>("GET", "/contacts")).contacts;
  }
  async addContact(contact: {
    contact_name: string;
    email?: string;
    first_name?: string;
    last_name?: string;
    company_name?: string;
    notes?: string;
    contact_type?: "customer" | "vendor";
    status?: "active" | "inactive";
    contact_persons?: Array<{ first_name?: string; last_name?: string; email?: string; is_primary_contact?: boolean }>;
  }) {
    return (await this.call<{ contact: SandboxContact }>("POST", "/contacts", contact)).contact;
  }
  /** Edits a contact as an admin would in Zoho's web app (its last_modified_time moves). */
  async editContact(
    id: string,
    patch: {
      contact_name?: string;
      company_name?: string;
      status?: "active" | "inactive";
      email?: string;
      /** Whose names and numbers change (default: the primary person's). */
      person_email?: string;
      first_name?: string;
      last_name?: string;
      mobile?: string;
      phone?: string;
      shipping_address?: { address?: string; street2?: string; city?: string; state?: string; zip?: string; country?: string };
    },
  ) {
    return (await this.call<{ contact: SandboxContact }>("PATCH", `/contacts/${encodeURIComponent(id)}`, patch)).contact;
  }
  /** Deletes a contact in Zoho: Books answers 404 for it afterwards. */
  deleteContact(id: string) {
    return this.call<{ ok: true }>("DELETE", `/contacts/${encodeURIComponent(id)}`);
  }
  /** Zoho's merge: `id` becomes inactive and its invoices move to `into`. */
  mergeContact(id: string, into: string) {
    return this.call<{ merged: SandboxContact; into: SandboxContact }>("POST", `/contacts/${encodeURIComponent(id)}/merge`, { into });
  }
  /** Test and bench only: `count` customer contacts `<prefix><i>@bulk.example` at once, an invoice for every `invoiceEvery`-th. */
  addContactsInBulk(opts: { count: number; prefix?: string; invoiceEvery?: number }) {
    return this.call<{ contacts: number; invoices: number }>("POST", "/bulk-contacts", opts);
  }
  /** An invoice for a contact (as Zoho's web app would make one). */
  async addInvoice(invoice: { customer_id: string; invoice_number?: string; total?: number; status?: string; date?: string }) {
    return (await this.call<{ invoice: { invoice_id: string; invoice_number: string; last_modified_time: string } }>("POST", "/invoices", invoice)).invoice;
  }
  async calls() {
    return (await this.call<{ calls: SandboxCall[] }>("GET", "/calls")).calls;
  }
  async webhooks() {
    return (await this.call<{ webhooks: Array<{ at: string; path: string; query?: Record<string, string>; headers?: Record<string, string | undefined>; body: { text?: string } }> }>("GET", "/webhooks")).webhooks;
  }
  /** Zoho's webhook on contact changes: where deliveries go, with the secret (webhooks.ts; faults: drop, delayMs). */
  configureWebhook(cfg: { url: string; secret: string; header?: string; maxAttempts?: number; retryDelayMs?: number; delayMs?: number; drop?: number }) {
    return this.call<{ webhook: unknown }>("POST", "/webhook", cfg);
  }
  /** The webhook's deliveries so far (pending, delivered, failed after the retries, dropped). */
  async webhookDeliveries() {
    return (await this.call<{ deliveries: Delivery[] }>("GET", "/webhook")).deliveries;
  }
  removeWebhook() {
    return this.call<{ ok: true }>("DELETE", "/webhook");
  }
  clearCalls() {
    return this.call<{ ok: true }>("DELETE", "/calls");
  }
  addFault(rule: Omit<Fault, "id">) {
    return this.call<{ id: string }>("POST", "/faults", rule);
  }
  async listFaults() {
    return (await this.call<{ faults: Fault[] }>("GET", "/faults")).faults;
  }
  clearFaults() {
    return this.call<{ ok: true }>("DELETE", "/faults");
  }
  /** Zoho stops accepting every access token issued so far (refresh tokens still work). */
  revokeAccessTokens() {
    return this.call<{ ok: true }>("POST", "/tokens/revoke-access");
  }
  revokeAllTokens() {
    return this.call<{ ok: true }>("POST", "/tokens/revoke-all");
  }
  issueTokens(opts: { scope?: string } = {}) {
    return this.call<IssuedTokens>("POST", "/tokens/issue", opts);
  }
  settings(patch: Partial<Settings> & { plan?: Plan; reset?: boolean } = {}) {
    return this.call<Settings>("POST", "/settings", patch);
  }
  state() {
    return this.call<{ inFlight: number; maxInFlight: number; schemaDrift: string[]; tokenRequests: number; callsToday: number; [key: string]: unknown }>("GET", "/state");
  }
  advanceClock(ms: number) {
    return this.call<{ now: string }>("POST", "/clock", { advanceMs: ms });
  }
}
