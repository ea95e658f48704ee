// The product's Zoho Books client (what production runs, and what tests run against the sandbox).
// Every call: counted in the ledger first, then made with a timeout while holding one of the app's slots for
// Zoho's concurrent-call limit (in-flight.server.ts), then classified by `code`.
import type { z } from "zod";
import type { DbOrTx } from "~/db/client.server";
import type { AppEnv } from "~/env.server";
import { classifyZohoAnswer, refusedAfterRefresh, ZohoError, type ZohoBody } from "./errors";
import { recordZohoCall, type CallSubject } from "./call-log.server";
import { withCallSlot } from "./in-flight.server";
import { reserveCalls, type CallPurpose } from "./ledger.server";
import { getAccessToken, markReconnectNeeded } from "./tokens.server";
import {
  type ContactFilters,
  type DirectoryPage,
  type Page,
  type ZohoContacts,
  ContactEnvelopeSchema,
  ContactListSchema,
  ContactPersonEnvelopeSchema,
  type ContactPersonUpdate,
  type ContactUpdate,
  ContactPersonListSchema,
  type ZohoContactPerson,
  InvoiceListSchema,
  type NewContact,
  type ZohoContact,
  type ZohoInvoice,
} from "./types";

type RequestOptions = {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
};

const CONCURRENCY_PAUSE_MS = 750;

/** What one send gave: Zoho's answer, or the transport's failure (timeout, unreachable), and how long it took. */
type Sent = { url: URL; ms: number; httpStatus: number | null } & ({ status: number; body: ZohoBody | null; failure?: undefined } | { failure: ZohoError });

export class ZohoClient implements ZohoContacts {
  /** Books API calls this client made (each was counted in the ledger). */
  calls = 0;
  /** Calls of the minute's pace taken in advance (reserveMinute) and not yet used by a call. */
  private minuteCredits = 0;

  constructor(
    private readonly deps: {
      db: DbOrTx;
      env: AppEnv;
      purpose: CallPurpose;
      fetchImpl?: typeof fetch;
      timeoutMs?: number;
      /** The customer or admin the calls are for (the call log says so). */
      subject?: CallSubject;
    },
  ) {}

  /** The minute's pace was taken for `calls` calls in advance: the next ones count only against the day. */
  prepaidMinute(calls: number) {
    this.minuteCredits = calls;
  }

  /** Pace taken in advance and not used (to give back with releaseMinute). */
  get unusedMinute() {
    return this.minuteCredits;
  }

  async listContacts(filters: ContactFilters): Promise<Page<ZohoContact>> {
    const body = await this.request("GET", "/contacts", ContactListSchema, {
      query: {
        contact_type: "customer",
        email: filters.email,
        email_contains: filters.emailContains,
        email_startswith: filters.emailStartsWith,
        contact_name: filters.contactName,
        contact_name_contains: filters.contactNameContains,
        contact_name_startswith: filters.contactNameStartsWith,
        search_text: filters.searchText,
        filter_by: filters.includeInactive ? "Status.All" : undefined,
        page: filters.page ?? 1,
        per_page: Math.min(filters.perPage ?? 200, 200),
      },
    });
    return { items: body.contacts, page: filters.page ?? 1, hasMore: body.page_context?.has_more_page ?? false };
  }

  /** Every contact (customers and vendors, any status) in Zoho's change or creation order, 200 a page. */
  async listDirectory(p: DirectoryPage): Promise<Page<ZohoContact>> {
    const body = await this.request("GET", "/contacts", ContactListSchema, {
      query: { filter_by: "Status.All", sort_column: p.sortColumn, sort_order: p.sortOrder, page: p.page, per_page: 200 },
    });
    return { items: body.contacts, page: p.page, hasMore: body.page_context?.has_more_page ?? false };
  }

  /** Invoices, oldest first, 200 a page; with `modifiedAfter` (Zoho's `YYYY-MM-DDTHH:MM:SS±hhmm`) only those changed after it. */
  async listInvoicePage(page: number, modifiedAfter?: string): Promise<Page<ZohoInvoice>> {
    const body = await this.request("GET", "/invoices", InvoiceListSchema, {
      query: { page, per_page: 200, sort_column: "created_time", sort_order: "A", last_modified_time: modifiedAfter },
    });
    return { items: body.invoices, page, hasMore: body.page_context?.has_more_page ?? false };
  }

  async getContact(contactId: string): Promise<ZohoContact> {
    const body = await this.request("GET", `/contacts/${encodeURIComponent(contactId)}`, ContactEnvelopeSchema);
    return body.contact;
  }

  /** Every contact person of a contact (contact-persons.yml, list_contact_persons). */
  async listContactPersons(contactId: string, page = 1): Promise<Page<ZohoContactPerson>> {
    const body = await this.request("GET", `/contacts/${encodeURIComponent(contactId)}/contactpersons`, ContactPersonListSchema, { query: { page, per_page: 200 } });
    return { items: body.contact_persons, page, hasMore: body.page_context?.has_more_page ?? false };
  }

  async createContact(contact: NewContact): Promise<ZohoContact> {
    return (await this.request("POST", "/contacts", ContactEnvelopeSchema, { body: contact })).contact;
  }

  /** PUT /contacts/{id} (contacts.yml, update_contact): contact_name is required; persons are left out on purpose. */
  async updateContact(contactId: string, update: ContactUpdate): Promise<ZohoContact> {
    return (await this.request("PUT", `/contacts/${encodeURIComponent(contactId)}`, ContactEnvelopeSchema, { body: update })).contact;
  }

  /** PUT /contacts/contactpersons/{id} (contact-persons.yml, update_contact_person): contact_id and first_name are required. */
  async updateContactPerson(personId: string, update: ContactPersonUpdate): Promise<void> {
    await this.request("PUT", `/contacts/contactpersons/${encodeURIComponent(personId)}`, ContactPersonEnvelopeSchema, { body: update });
  }

  /**
   * Zoho's upsert on a unique custom field (contacts.yml, update_contact_using_custom_field): updates the
   * contact holding `value` with what is sent, or creates one when X-Upsert is true (`create`, the default).
   */
  async upsertContact(uniqueField: string, value: string, contact: NewContact, opts: { create?: boolean } = {}): Promise<ZohoContact> {
    const body = await this.request("PUT", "/contacts", ContactEnvelopeSchema, {
      body: contact,
      headers: { "X-Unique-Identifier-Key": uniqueField, "X-Unique-Identifier-Value": value, ...(opts.create === false ? {} : { "X-Upsert": "true" }) },
    });
    return body.contact;
  }

  async listInvoices(customerId: string, page = 1, perPage = 25): Promise<Page<ZohoInvoice>> {
    const body = await this.request("GET", "/invoices", InvoiceListSchema, {
      query: { customer_id: customerId, page, per_page: perPage, sort_column: "date", sort_order: "D" },
    });
    return { items: body.invoices, page, hasMore: body.page_context?.has_more_page ?? false };
  }

  private async request<S extends z.ZodType>(method: string, path: string, schema: S, opts: RequestOptions = {}): Promise<z.infer<S>> {
    const { db, env } = this.deps;
    let access = await getAccessToken(db, env, { fetchImpl: this.deps.fetchImpl });
    let refreshed = false;
    let waitedForConcurrency = false;
    for (;;) {
      // The slot first: a call that finds no free slot is neither counted nor sent.
      const sent = await withCallSlot(db, env, async () => {
        await reserveCalls(db, env, this.deps.purpose, 1, new Date(), { minuteTaken: this.minuteCredits > 0 });
        if (this.minuteCredits > 0) this.minuteCredits--;
        this.calls++;
        return this.send(method, path, access, opts);
      });
      // The trail, after the slot is given back (best effort: a failed write never fails the call).
      await recordZohoCall(db, {
        ...this.deps.subject,
        purpose: this.deps.purpose,
        method,
        url: sent.url,
        httpStatus: sent.httpStatus,
        zohoCode: sent.failure ? null : typeof sent.body?.code === "number" ? sent.body.code : null,
        message: sent.failure ? sent.failure.message : typeof sent.body?.message === "string" ? sent.body.message : null,
        durationMs: sent.ms,
      });
      if (sent.failure) throw sent.failure;
      const { status, body } = sent;
      const error = classifyZohoAnswer(status, body);
      if (!error) {
        const parsed = schema.safeParse(body);
        if (!parsed.success) throw new ZohoError("transient", `Zoho answered ${method} ${path} with an unexpected shape`, { status });
        return parsed.data;
      }
      // Books answers 401 + 57 both for a token it stopped accepting and for a missing permission:
      // refresh once and retry; only a refusal of the fresh token means an admin must act.
      if (error.kind === "reconnect_needed") {
        if (status === 401 && !refreshed) {
          refreshed = true;
          access = await getAccessToken(db, env, { forceRefresh: true, fetchImpl: this.deps.fetchImpl });
          continue;
        }
        const final = status === 401 ? refusedAfterRefresh(error) : error;
        await markReconnectNeeded(db, final.message);
        throw final;
      }
      // Too many calls in flight for the organisation clears in moments: one short pause, then let the job wait.
      if (error.kind === "concurrency_limited" && !waitedForConcurrency) {
        waitedForConcurrency = true;
        await new Promise((r) => setTimeout(r, CONCURRENCY_PAUSE_MS));
        continue;
      }
      throw error;
    }
  }

  private async send(
    method: string,
    path: string,
    access: { token: string; apiDomain: string; organizationId: string },
    opts: RequestOptions,
  ): Promise<Sent> {
    const url = new URL(`/books/v3${path}`, access.apiDomain);
    const started = Date.now();
    url.searchParams.set("organization_id", access.organizationId);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined && v !== "") url.searchParams.set(k, String(v));
    let res: Response;
    try {
      res = await (this.deps.fetchImpl ?? fetch)(url, {
        method,
        headers: {
          Authorization: `Zoho-oauthtoken ${access.token}`,
          Accept: "application/json",
          ...(opts.body ? { "Content-Type": "application/json" } : {}),
          ...opts.headers,
        },
        body: opts.body ? JSON.stringify(opts.body) : undefined,
        signal: AbortSignal.timeout(this.deps.timeoutMs ?? this.deps.env.ZOHO_TIMEOUT_MS),
      });
    } catch (error) {
      const timedOut = (error as Error).name === "TimeoutError";
      const failure = new ZohoError("transient", timedOut ? `Zoho did not answer ${method} ${path} in time` : `Zoho is unreachable: ${(error as Error).message}`);
      return { url, ms: Date.now() - started, httpStatus: null, failure };
    }
    const text = await res.text();
    let body: ZohoBody | null = null;
    try {
      body = text ? (JSON.parse(text) as ZohoBody) : null;
    } catch {
      body = null;
    }
    const ms = Date.now() - started;
    if (!body && res.ok) return { url, ms, httpStatus: res.status, status: 502, body: { code: -1, message: "Zoho answered without JSON" } };
    return { url, ms, httpStatus: res.status, status: res.status, body };
  }
}
