// The sandbox's in-memory world: one Zoho Books organisation, its contacts and invoices, OAuth
// clients and tokens, settings, faults, the call log and a movable clock.

export type ContactPerson = {
  contact_person_id: string;
  first_name: string;
  last_name: string;
  email: string;
  phone: string;
  mobile: string;
  is_primary_contact: boolean;
};

/** A custom field's value on a contact; Zoho's API shows `index`, `label`, `value` (api_name is internal here). */
export type CustomField = { api_name: string; label: string; index: number; value: string };

/** A contact's shipping address (contacts.yml: shipping_address); the portal's delivery address goes here. */
export type Address = { attention?: string; address?: string; street2?: string; city?: string; state?: string; zip?: string; country?: string };

export type Contact = {
  contact_id: string;
  contact_name: string;
  company_name: string;
  contact_type: "customer" | "vendor";
  customer_sub_type: "individual" | "business";
  status: "active" | "inactive";
  notes: string;
  contact_persons: ContactPerson[];
  custom_fields: CustomField[];
  /** Optional: state files written before it existed have none (an empty address). */
  shipping_address?: Address;
  created_time: string;
  last_modified_time: string;
};

export type Invoice = {
  invoice_id: string;
  invoice_number: string;
  customer_id: string;
  customer_name: string;
  date: string;
  due_date: string;
  status: "draft" | "sent" | "overdue" | "paid" | "partially_paid" | "void";
  total: number;
  balance: number;
  currency_code: string;
  created_time: string;
  last_modified_time: string;
};

export type Settings = {
  dailyLimit: number;
  perMinuteLimit: number;
  /** Zoho's organisation preference "allow duplicate display names" (on by default). */
  allowDuplicateNames: boolean;
  /** Custom fields marked "do not allow duplicates" (usable with X-Unique-Identifier-Key), by API name. */
  uniqueCustomFields: string[];
  /** Zoho limits concurrent in-flight calls per organisation (10; 5 on the free plan); beyond it, HTTP 429 code 1070. */
  maxConcurrentCalls: number;
  /** Redirect URIs registered for the OAuth client (Zoho's API console); `*` stands for any port. */
  redirectUris: string[];
  /** Whether a contact created by the upsert carries X-Unique-Identifier-Value in that field (docs/zoho-facts.md: unverified). */
  upsertWritesUniqueValue: boolean;
};

export type Fault = {
  id: string;
  method?: string;
  path?: string;
  status?: number;
  code?: number;
  message?: string;
  body200?: boolean;
  latencyMs?: number;
  timeout?: boolean;
  probability?: number;
  count?: number;
  afterEffect?: boolean;
};

/** Zoho's webhook on contact changes, as the sandbox sends it (webhooks.ts). */
export type WebhookConfig = {
  url: string;
  secret: string;
  /** The custom header carrying the secret (Zoho's webhook form lets the shop add headers). */
  header: string;
  maxAttempts: number;
  /** The wait before the second attempt; each further one waits twice as long. */
  retryDelayMs: number;
  /** Fault: each delivery waits this long before its first attempt. */
  delayMs: number;
  /** Fault: the next n deliveries are dropped (never sent). */
  drop: number;
};

export type Delivery = {
  id: number;
  contactId: string;
  event: "created" | "updated" | "deleted";
  status: "pending" | "delivered" | "failed" | "dropped";
  attempts: number;
  /** The last answer's HTTP status, or null when none came (refused connection, timeout). */
  lastStatus: number | null;
  at: string;
};

export type Call = { at: string; method: string; path: string; query: Record<string, string>; status: number; code: number | null };

export type RefreshToken = { token: string; clientId: string; scope: string; issuedAt: number; revoked: boolean; accessIssued: number[] };
export type AccessToken = { token: string; scope: string; expiresAt: number; refreshToken: string | null; revoked: boolean };
export type AuthCode = {
  code: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  refreshAllowed: boolean;
  expiresAt: number;
  used: boolean;
};

/** Zoho Books plans: calls a day and calls in flight per organisation (Zoho Books API introduction, "API Call Limit"). */
export const PLANS = {
  free: { dailyLimit: 1000, maxConcurrentCalls: 5 },
  standard: { dailyLimit: 2000, maxConcurrentCalls: 10 },
  professional: { dailyLimit: 5000, maxConcurrentCalls: 10 },
  premium: { dailyLimit: 10000, maxConcurrentCalls: 10 },
} as const;
export type Plan = keyof typeof PLANS;

export const DEFAULT_SETTINGS: Settings = {
  dailyLimit: 1000,
  perMinuteLimit: 100,
  allowDuplicateNames: true,
  uniqueCustomFields: ["cf_portal_customer_id"],
  maxConcurrentCalls: 10,
  redirectUris: ["http://portal.test/admin/zoho/callback", "http://127.0.0.1:*/admin/zoho/callback", "http://localhost:*/admin/zoho/callback"],
  upsertWritesUniqueValue: true,
};

/** The organisation's custom fields: index and label as Zoho's API shows them, derived from the API name. */
export function customFieldDefinition(settings: Settings, apiName: string) {
  const index = settings.uniqueCustomFields.indexOf(apiName);
  return index < 0 ? null : { api_name: apiName, index: index + 1, label: apiName.replace(/^cf_/, "").replace(/_/g, " ") };
}

export class SandboxState {
  contacts = new Map<string, Contact>();
  invoices: Invoice[] = [];
  /** Contacts deleted (by the API or the control API), for tests; Zoho lists no deleted records. */
  deletedContacts: Array<{ contact_id: string; at: string }> = [];
  settings: Settings = { ...DEFAULT_SETTINGS };
  faults: Fault[] = [];
  calls: Call[] = [];
  refreshTokens: RefreshToken[] = [];
  accessTokens = new Map<string, AccessToken>();
  codes = new Map<string, AuthCode>();
  /** Times of accepted Books calls (per-minute window) and the count per sandbox day. */
  recentCalls: number[] = [];
  dailyCalls = new Map<string, number>();
  /** Where the sandbox's own answers departed from Zoho's response schemas (should stay empty). */
  schemaDrift: string[] = [];
  /** Books requests being answered right now (for the concurrency limit), and the most at once since the reset. */
  inFlight = 0;
  maxInFlight = 0;
  tokenRequests = 0;
  /** Posts received on /__hooks/* (a stand-in Slack webhook for failure alerts; a stand-in portal for deliveries). */
  webhooks: Array<{ at: string; path: string; query?: Record<string, string>; headers?: Record<string, string | undefined>; body: unknown }> = [];
  /** Where Zoho's workflow rule posts contact changes (webhooks.ts); null: none configured. */
  webhook: WebhookConfig | null = null;
  /** Webhook deliveries queued, sent, retried, dropped or given up (newest last). */
  deliveries: Delivery[] = [];
  timers = new Set<ReturnType<typeof setTimeout>>();
  closed = false;
  clockOffsetMs = 0;
  /** The next contact, person and invoice id; kept with the state when it is saved (persistence.ts), never lowered. */
  nextId = 460000000026000;
  private nextFaultId = 1;
  private seedRandom = 42;

  now() {
    return Date.now() + this.clockOffsetMs;
  }
  iso() {
    return new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, "+0000");
  }
  id() {
    return String(this.nextId++);
  }
  faultId() {
    return `fault-${this.nextFaultId++}`;
  }
  /** Deterministic PRNG for fault probabilities, so runs can be reproduced. */
  random() {
    this.seedRandom = (this.seedRandom * 1103515245 + 12345) % 2147483648;
    return this.seedRandom / 2147483648;
  }
  token(prefix: string) {
    const hex = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
    return `1000.${prefix}${hex}.${hex.slice(0, 24)}`;
  }

  addContact(input: {
    contact_name: string;
    company_name?: string;
    contact_type?: "customer" | "vendor";
    customer_sub_type?: "individual" | "business";
    status?: "active" | "inactive";
    notes?: string;
    email?: string;
    first_name?: string;
    last_name?: string;
    phone?: string;
    mobile?: string;
    contact_persons?: Array<Partial<ContactPerson>>;
    custom_fields?: Array<{ api_name: string; value: string; label?: string }>;
  }): Contact {
    const persons: ContactPerson[] = (input.contact_persons ?? []).map((p, i) => this.person(p, i === 0 && p.is_primary_contact !== false));
    if (input.email || input.first_name || input.last_name) {
      persons.unshift(this.person({ email: input.email, first_name: input.first_name, last_name: input.last_name, phone: input.phone, mobile: input.mobile }, true));
      for (const p of persons.slice(1)) p.is_primary_contact = false;
    }
    const contact: Contact = {
      contact_id: this.id(),
      contact_name: input.contact_name,
      company_name: input.company_name ?? "",
      contact_type: input.contact_type ?? "customer",
      customer_sub_type: input.customer_sub_type ?? "individual",
      status: input.status ?? "active",
      notes: input.notes ?? "",
      contact_persons: persons,
      custom_fields: (input.custom_fields ?? []).map((f, i) => ({
        api_name: f.api_name,
        label: f.label ?? f.api_name.replace(/^cf_/, "").replace(/_/g, " "),
        index: customFieldDefinition(this.settings, f.api_name)?.index ?? i + 1,
        value: String(f.value),
      })),
      created_time: this.iso(),
      last_modified_time: this.iso(),
    };
    this.contacts.set(contact.contact_id, contact);
    return contact;
  }

  person(p: Partial<ContactPerson>, primary: boolean): ContactPerson {
    return {
      contact_person_id: this.id(),
      first_name: p.first_name ?? "",
      last_name: p.last_name ?? "",
      email: p.email ?? "",
      phone: p.phone ?? "",
      mobile: p.mobile ?? "",
      is_primary_contact: primary,
    };
  }
}

/**
 * Zoho's merge (Zoho Books help, "Merge contacts"): the merged contact becomes inactive and its transactions
 * move to the surviving contact; both change. Returns false when either is unknown or they are the same.
 */
export function mergeContacts(state: SandboxState, mergedId: string, survivorId: string): boolean {
  const merged = state.contacts.get(mergedId);
  const survivor = state.contacts.get(survivorId);
  if (!merged || !survivor || merged === survivor) return false;
  const now = state.iso();
  merged.status = "inactive";
  merged.last_modified_time = now;
  survivor.last_modified_time = now;
  for (const invoice of state.invoices.filter((i) => i.customer_id === mergedId))
    Object.assign(invoice, { customer_id: survivorId, customer_name: survivor.contact_name, last_modified_time: now });
  return true;
}

export const primaryPerson = (c: Contact) => c.contact_persons.find((p) => p.is_primary_contact) ?? c.contact_persons[0];

/** The list view of a contact, as list_contacts documents it (the primary person's details). */
export function contactSummary(c: Contact) {
  const p = primaryPerson(c);
  return {
    contact_id: c.contact_id,
    contact_name: c.contact_name,
    company_name: c.company_name,
    contact_type: c.contact_type,
    status: c.status,
    first_name: p?.first_name ?? "",
    last_name: p?.last_name ?? "",
    email: p?.email ?? "",
    phone: p?.phone ?? "",
    mobile: p?.mobile ?? "",
    created_time: c.created_time,
    last_modified_time: c.last_modified_time,
  };
}

/** The full contact, as get_contact documents it: persons carry the emails; custom fields show index/label/value. */
export function contactDetail(c: Contact) {
  return {
    contact_id: c.contact_id,
    contact_name: c.contact_name,
    company_name: c.company_name,
    contact_type: c.contact_type,
    customer_sub_type: c.customer_sub_type,
    status: c.status,
    notes: c.notes,
    shipping_address: { ...(c.shipping_address ?? {}) },
    primary_contact_id: primaryPerson(c)?.contact_person_id ?? "",
    contact_persons: c.contact_persons.map((p) => ({ ...p })),
    custom_fields: c.custom_fields.map(({ index, label, value }) => ({ index, label, value })),
    created_time: c.created_time,
    last_modified_time: c.last_modified_time,
  };
}

/** What the control API shows tests: the full contact plus the primary email and custom fields' API names. */
export function controlView(c: Contact) {
  return { ...contactDetail(c), email: primaryPerson(c)?.email ?? "", custom_fields: c.custom_fields };
}
