// /__control: the test and development handle on the sandbox (never part of Zoho's surface).
import { issueAccessToken, issueRefreshToken, type AccountsConfig } from "./accounts";
import { json, type Req, type Res } from "./http";
import { webhookConfig } from "./webhooks";
import { controlView, DEFAULT_SETTINGS, mergeContacts, PLANS, primaryPerson, type Fault, type Plan, type SandboxState, type Settings } from "./state";

/** What the control API works on: the sandbox's state, its configuration, and a reset (server.ts builds it). */
export type SandboxContext = {
  state: SandboxState;
  cfg: AccountsConfig & { organizationId: string };
  reset(seed?: "default" | "empty"): void;
};

export async function handleControl(ctx: SandboxContext, req: Req): Promise<Res> {
  const path = req.path.replace(/^\/__control/, "") || "/";
  const body = (req.body && typeof req.body === "object" ? req.body : {}) as Record<string, unknown>;
  const { state } = ctx;
  const one = path.match(/^\/contacts\/([^/]+)(\/merge)?$/);
  if (one) return contactControl(state, req.method, decodeURIComponent(one[1]), !!one[2], body);
  switch (`${req.method} ${path}`) {
    case "POST /reset":
      ctx.reset(body.seed === "empty" ? "empty" : "default");
      return json(200, { ok: true });
    case "POST /ids": {
      // Ids from here on are above `above` (npm run dev: a database that links contacts a lost state file had).
      const above = Number(body.above);
      if (!Number.isSafeInteger(above)) return json(400, { error: "above must be an integer id" });
      state.nextId = Math.max(state.nextId, above + 1);
      return json(200, { nextId: String(state.nextId) });
    }
    case "GET /contacts":
      return json(200, { contacts: [...ctx.state.contacts.values()].map(controlView) });
    case "POST /contacts": {
      if (typeof body.contact_name !== "string") return json(400, { error: "contact_name is required" });
      return json(201, { contact: controlView(state.addContact(body as never)) });
    }
    case "POST /bulk-contacts": {
      // Test and bench only: `count` customer contacts at once (the mirror's full-read bench preloads 100,000),
      // each with a primary person `<prefix><i>@bulk.example`, and an invoice for every `invoiceEvery`-th one.
      const count = Number(body.count);
      const prefix = typeof body.prefix === "string" ? body.prefix : "bulk";
      const invoiceEvery = Number(body.invoiceEvery ?? 0);
      if (!Number.isSafeInteger(count) || count < 1 || count > 1_000_000) return json(400, { error: "count must be 1 to 1,000,000" });
      if (!Number.isSafeInteger(invoiceEvery) || invoiceEvery < 0) return json(400, { error: "invoiceEvery must be a whole number (0: none)" });
      const now = state.iso();
      let invoices = 0;
      for (let i = 0; i < count; i++) {
        const contact = state.addContact({ contact_name: `Bulk ${prefix} ${i}`, first_name: "Bulk", last_name: `${prefix}${i}`, email: `${prefix}${i}@bulk.example` });
        if (invoiceEvery && i % invoiceEvery === 0) {
          invoices++;
          state.invoices.push({
            invoice_id: state.id(), invoice_number: `INV-B${state.nextId}`, customer_id: contact.contact_id, customer_name: contact.contact_name,
            date: now.slice(0, 10), due_date: now.slice(0, 10), status: "sent", total: 1000, balance: 1000, currency_code: "PHP",
            created_time: now, last_modified_time: now,
          });
        }
      }
      return json(201, { contacts: count, invoices });
    }
    case "POST /invoices": {
      // An invoice for a contact, as Zoho's web app would make it (order-history tests; the mirror's invoice reads).
      const contact = state.contacts.get(String(body.customer_id));
      if (!contact) return json(400, { error: "customer_id must be an existing contact" });
      const now = state.iso();
      const total = typeof body.total === "number" ? body.total : 1000;
      const invoice = {
        invoice_id: state.id(),
        invoice_number: typeof body.invoice_number === "string" ? body.invoice_number : `INV-C${state.nextId}`,
        customer_id: contact.contact_id,
        customer_name: contact.contact_name,
        date: typeof body.date === "string" ? body.date : now.slice(0, 10),
        due_date: typeof body.due_date === "string" ? body.due_date : now.slice(0, 10),
        status: (typeof body.status === "string" ? body.status : "sent") as never,
        total,
        balance: typeof body.balance === "number" ? body.balance : total,
        currency_code: typeof body.currency_code === "string" ? body.currency_code : "PHP",
        created_time: now,
        last_modified_time: now,
      };
      state.invoices.push(invoice);
      return json(201, { invoice });
    }
    case "GET /webhooks":
      return json(200, { webhooks: state.webhooks });
    case "POST /webhook": {
      // Zoho's webhook on contact changes (webhooks.ts): { url, secret, header?, maxAttempts?, retryDelayMs?, delayMs?, drop? }.
      const cfg = webhookConfig(body, state.webhook);
      if (typeof cfg === "string") return json(400, { error: cfg });
      state.webhook = cfg;
      return json(200, { webhook: { ...cfg, secret: "(set)" } });
    }
    case "GET /webhook":
      return json(200, { webhook: state.webhook && { ...state.webhook, secret: "(set)" }, deliveries: state.deliveries });
    case "DELETE /webhook":
      state.webhook = null;
      return json(200, { ok: true });
    case "GET /calls":
      return json(200, { calls: state.calls });
    case "DELETE /calls":
      state.calls = [];
      return json(200, { ok: true });
    case "POST /faults": {
      const fault: Fault = { ...(body as Omit<Fault, "id">), id: state.faultId() };
      state.faults.push(fault);
      return json(201, { id: fault.id });
    }
    case "GET /faults":
      return json(200, { faults: state.faults });
    case "DELETE /faults":
      state.faults = [];
      return json(200, { ok: true });
    case "POST /tokens/revoke-all":
      for (const t of state.refreshTokens) t.revoked = true;
      for (const t of state.accessTokens.values()) t.revoked = true;
      return json(200, { ok: true });
    case "POST /tokens/revoke-access":
      for (const t of state.accessTokens.values()) t.revoked = true;
      return json(200, { ok: true });
    case "POST /tokens/issue": {
      const scope = typeof body.scope === "string" ? body.scope : "ZohoBooks.fullaccess.all";
      const refresh = issueRefreshToken(state, ctx.cfg.clientId, scope);
      return json(200, {
        access_token: issueAccessToken(state, scope, refresh),
        refresh_token: refresh.token,
        api_domain: ctx.cfg.url,
        expires_in: 3600,
        scope,
      });
    }
    case "GET /settings":
      return json(200, state.settings);
    case "POST /settings": {
      const next: Settings = { ...state.settings };
      if (typeof body.dailyLimit === "number") next.dailyLimit = body.dailyLimit;
      if (typeof body.perMinuteLimit === "number") next.perMinuteLimit = body.perMinuteLimit;
      if (typeof body.allowDuplicateNames === "boolean") next.allowDuplicateNames = body.allowDuplicateNames;
      if (Array.isArray(body.uniqueCustomFields)) next.uniqueCustomFields = body.uniqueCustomFields.map(String);
      if (typeof body.maxConcurrentCalls === "number") next.maxConcurrentCalls = body.maxConcurrentCalls;
      if (Array.isArray(body.redirectUris)) next.redirectUris = body.redirectUris.map(String);
      if (typeof body.upsertWritesUniqueValue === "boolean") next.upsertWritesUniqueValue = body.upsertWritesUniqueValue;
      if (body.reset === true) Object.assign(next, DEFAULT_SETTINGS);
      // A plan sets the daily and concurrent-call limits as Zoho's plans have them ("free": 1,000 a day, 5 at once).
      if (typeof body.plan === "string") {
        if (!(body.plan in PLANS)) return json(400, { error: `plan must be one of ${Object.keys(PLANS).join(", ")}` });
        Object.assign(next, PLANS[body.plan as Plan]);
      }
      state.settings = next;
      return json(200, next);
    }
    case "GET /state": {
      const day = new Date(state.now()).toISOString().slice(0, 10);
      return json(200, {
        contacts: state.contacts.size,
        invoices: state.invoices.length,
        callsToday: state.dailyCalls.get(day) ?? 0,
        callsLogged: state.calls.length,
        tokenRequests: state.tokenRequests,
        activeRefreshTokens: state.refreshTokens.filter((t) => !t.revoked).length,
        settings: state.settings,
        faults: state.faults.length,
        inFlight: state.inFlight,
        maxInFlight: state.maxInFlight,
        schemaDrift: state.schemaDrift,
        now: new Date(state.now()).toISOString(),
      });
    }
    case "POST /clock":
      state.clockOffsetMs += Number(body.advanceMs ?? 0);
      return json(200, { now: new Date(state.now()).toISOString() });
    default:
      return json(404, { error: `Unknown control endpoint ${req.method} ${path}` });
  }
}

/**
 * One contact, as an admin would change it in Zoho's web app: PATCH edits (name, company, status, the primary
 * person's email, a person's names and numbers, the shipping address), DELETE deletes (the API answers 404 afterwards), POST …/merge `{ into }` merges it into
 * another contact (it becomes inactive; its invoices move). Each write moves last_modified_time.
 */
function contactControl(state: SandboxState, method: string, id: string, merge: boolean, body: Record<string, unknown>): Res {
  const contact = state.contacts.get(id);
  if (!contact) return json(404, { error: `no contact ${id}` });
  if (merge && method === "POST") {
    if (!mergeContacts(state, id, String(body.into))) return json(400, { error: "into must be another existing contact" });
    return json(200, { merged: controlView(contact), into: controlView(state.contacts.get(String(body.into))!) });
  }
  if (merge) return json(404, { error: `Unknown control endpoint ${method} merge` });
  if (method === "DELETE") {
    state.contacts.delete(id);
    state.deletedContacts.push({ contact_id: id, at: state.iso() });
    return json(200, { ok: true });
  }
  if (method === "PATCH") {
    if (typeof body.contact_name === "string") contact.contact_name = body.contact_name;
    if (typeof body.company_name === "string") contact.company_name = body.company_name;
    if (body.status === "active" || body.status === "inactive") contact.status = body.status;
    const person = primaryPerson(contact);
    if (typeof body.email === "string" && person) person.email = body.email;
    // A person's own fields (the primary person's, or the one whose email is `person_email`), and the shipping address.
    const who = typeof body.person_email === "string" ? contact.contact_persons.find((p) => p.email.toLowerCase() === String(body.person_email).toLowerCase()) : person;
    for (const key of ["first_name", "last_name", "mobile", "phone"] as const) if (typeof body[key] === "string" && who) who[key] = body[key] as string;
    if (body.shipping_address && typeof body.shipping_address === "object") contact.shipping_address = { ...(body.shipping_address as Record<string, string>) };
    contact.last_modified_time = state.iso();
    return json(200, { contact: controlView(contact) });
  }
  if (method === "GET") return json(200, { contact: controlView(contact) });
  return json(404, { error: `Unknown control endpoint ${method} /contacts/${id}` });
}
