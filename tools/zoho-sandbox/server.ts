// The local Zoho sandbox: one loopback HTTP origin serving Zoho Accounts (OAuth), Zoho Books v3 and a
// control API (/__control) for tests and development. Behaviour follows docs/zoho-facts.md.
import http from "node:http";
import type { AddressInfo } from "node:net";
import * as accounts from "./accounts";
import * as books from "./books";
import { upsertContact, createContact, updateContact, updateContactPerson } from "./contacts-write";
import { checkBody, checkParameters, findOperation, responseMismatches } from "./contract/validate";
import { handleControl, type SandboxContext } from "./control";
import { zohoError, type Req, type Res } from "./http";
import { StateFile } from "./persistence";
import { seedDefault } from "./seed";
import { SandboxState, type Fault } from "./state";
import { contactsBefore, deliverChanges, stopDeliveries, webhookConfig } from "./webhooks";

export type SandboxOptions = {
  port?: number;
  host?: string;
  clientId?: string;
  clientSecret?: string;
  /** Redirect URIs registered for the client (default: portal.test and any loopback port). */
  redirectUris?: string[];
  organizationId?: string;
  seed?: "default" | "empty";
  /**
   * Keep the state in this file (`npm run dev`): loaded at start when it exists, saved after changes and on
   * close (persistence.ts). Without it (tests, benches) the state lives in memory only.
   */
  stateFile?: string;
  /** Zoho's webhook on contact changes (webhooks.ts): the portal's /api/zoho/webhook address and its secret. */
  webhook?: { url: string; secret: string };
  log?: (line: string) => void;
};

/** `restored`: the state came from `stateFile` (false: a new seeded state, also when no file was given). */
export type Sandbox = { url: string; port: number; restored: boolean; close(): Promise<void> };

export async function startZohoSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const host = opts.host ?? "127.0.0.1";
  const ctx: SandboxContext = {
    state: new SandboxState(),
    cfg: {
      clientId: opts.clientId ?? "sandbox-client-id",
      clientSecret: opts.clientSecret ?? "sandbox-client-secret",
      organizationId: opts.organizationId ?? "10234695",
      url: "",
    },
    reset(seed = opts.seed ?? "default") {
      const before = ctx.state;
      stopDeliveries(before);
      ctx.state = new SandboxState();
      // Kept state outlives a reset's links (the local database still holds them): ids go on increasing.
      if (saved) ctx.state.nextId = Math.max(ctx.state.nextId, before.nextId);
      if (opts.redirectUris) ctx.state.settings.redirectUris = [...opts.redirectUris];
      if (seed === "default") seedDefault(ctx.state);
      configuredWebhook();
    },
  };
  const saved = opts.stateFile ? new StateFile(opts.stateFile, () => ctx.state, 200, opts.log) : undefined;
  // The webhook given at start (npm run sandbox: ZOHO_SANDBOX_WEBHOOK_URL/_SECRET) outlives resets and restarts.
  const configuredWebhook = () => {
    const hook = opts.webhook && webhookConfig(opts.webhook, null);
    if (typeof hook === "string") opts.log?.(`sandbox webhook not configured: ${hook}`);
    else if (hook) ctx.state.webhook = hook;
  };
  const restored = saved?.loadInto(ctx.state) ?? false;
  if (!restored) ctx.reset();
  else configuredWebhook();
  saved?.changed(); // the file exists from the start
  const server = http.createServer((request, response) => {
    // Anything but a look through the control API may change the state (a Books read counts a call).
    if (saved && !(request.method === "GET" && request.url?.startsWith("/__control"))) response.once("finish", () => saved.changed());
    void serve(ctx, request, response).catch((error) => {
      opts.log?.(`sandbox error: ${String(error)}`);
      if (!response.headersSent) send(response, zohoError(500, 1, "Internal error in the sandbox"));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  ctx.cfg.url = `http://${host}:${port}`;
  return {
    url: ctx.cfg.url,
    port,
    restored,
    close: () =>
      new Promise<void>((resolve) => {
        stopDeliveries(ctx.state);
        server.closeAllConnections();
        server.close(() => resolve());
      }).then(() => saved?.close()),
  };
}

async function readRequest(request: http.IncomingMessage): Promise<Req> {
  const url = new URL(request.url ?? "/", "http://sandbox");
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  const type = request.headers["content-type"] ?? "";
  let body: unknown = null;
  let form = new URLSearchParams();
  if (raw && type.includes("application/json")) {
    try {
      body = JSON.parse(raw);
    } catch {
      body = Symbol.for("invalid-json");
    }
  } else if (raw && type.includes("application/x-www-form-urlencoded")) {
    form = new URLSearchParams(raw);
    // Zoho also accepts JSON in a form field named JSONString.
    const jsonString = form.get("JSONString");
    if (jsonString) {
      try {
        body = JSON.parse(jsonString);
      } catch {
        body = Symbol.for("invalid-json");
      }
    }
  }
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v[0] : v;
  return { method: request.method ?? "GET", path: url.pathname.replace(/\/+$/, "") || "/", query: url.searchParams, headers, body, form };
}

function send(response: http.ServerResponse, res: Res) {
  if (res.html !== undefined) {
    response.writeHead(res.status, { "Content-Type": "text/html; charset=utf-8", ...res.headers });
    response.end(res.html);
  } else if (res.body !== undefined) {
    response.writeHead(res.status, { "Content-Type": "application/json;charset=UTF-8", ...res.headers });
    response.end(JSON.stringify(res.body));
  } else {
    response.writeHead(res.status, res.headers);
    response.end();
  }
}

async function serve(ctx: SandboxContext, request: http.IncomingMessage, response: http.ServerResponse) {
  const req = await readRequest(request);
  // A writing request may change contacts: Zoho's webhook (when configured) tells the portal (webhooks.ts).
  const before = req.method !== "GET" && !/^\/__control\/(reset|webhook)$/.test(req.path) ? contactsBefore(ctx.state) : null;
  try {
    await serveOne(ctx, req, response);
  } finally {
    deliverChanges(ctx.state, before);
  }
}

async function serveOne(ctx: SandboxContext, req: Req, response: http.ServerResponse) {
  if (req.path.startsWith("/__control")) return send(response, await handleControl(ctx, req));
  if (req.path.startsWith("/__hooks/") && req.method === "POST") {
    ctx.state.webhooks.push({ at: new Date().toISOString(), path: req.path, query: Object.fromEntries(req.query), headers: req.headers, body: req.body });
    return send(response, { status: 200, body: { ok: true } });
  }
  const { state } = ctx;
  const isBooks = req.path.startsWith("/books/v3/");
  // Zoho limits the calls in flight per organisation (10, or 5 on the free plan): beyond the limit, HTTP 429
  // with code 1070 at once (Zoho Books API introduction, "Concurrent Rate Limiter").
  if (isBooks && state.inFlight >= state.settings.maxConcurrentCalls) {
    const res = zohoError(429, books.CODES.concurrency, "You have reached the maximum number of in process requests allowed. Kindly try again after some time.");
    logCall(state, req, res);
    return send(response, res);
  }
  if (isBooks) {
    const counted = state;
    counted.inFlight++;
    counted.maxInFlight = Math.max(counted.maxInFlight, counted.inFlight);
    response.once("close", () => counted.inFlight--);
  }

  const fault = pickFault(state, req);
  if (fault?.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
  if (fault?.timeout) {
    // Hang like a stuck upstream: the client's timeout decides. Closed after a minute at most.
    setTimeout(() => response.destroy(), 60_000).unref();
    return;
  }
  const faulty = fault && (fault.status !== undefined || fault.code !== undefined || fault.body200);
  let res: Res;
  if (faulty && !fault.afterEffect) res = faultResponse(fault);
  else {
    res = route(ctx, req);
    if (faulty) res = faultResponse(fault); // the operation happened, the answer is lost
  }
  if (req.path.startsWith("/books/")) {
    logCall(state, req, res);
    recordSchemaDrift(state, req, res);
  }
  send(response, res);
}

/** The sandbox's own successful answers must fit Zoho's documented response schema; drift is recorded for tests. */
function recordSchemaDrift(state: SandboxState, req: Req, res: Res) {
  if (res.status < 200 || res.status >= 300 || (res.body as { code?: number })?.code !== 0) return;
  const found = findOperation(req.method, req.path.slice("/books/v3".length));
  const schema = found && (found.op.responses[String(res.status)] ?? found.op.responses["200"] ?? found.op.responses["201"]);
  if (!schema) return;
  for (const problem of responseMismatches(schema, res.body)) state.schemaDrift.push(`${found.op.operationId}: ${problem}`);
}

function logCall(state: SandboxState, req: Req, res: Res) {
  const code = typeof (res.body as { code?: unknown })?.code === "number" ? (res.body as { code: number }).code : null;
  state.calls.push({ at: new Date(state.now()).toISOString(), method: req.method, path: req.path, query: Object.fromEntries(req.query), status: res.status, code });
  if (state.calls.length > 20_000) state.calls.splice(0, 10_000);
}

function pickFault(state: SandboxState, req: Req): Fault | undefined {
  for (const fault of state.faults) {
    if (fault.method && fault.method.toUpperCase() !== req.method) continue;
    if (fault.path && !matchesPath(fault.path, req.path)) continue;
    if (fault.count !== undefined && fault.count <= 0) continue;
    if (fault.probability !== undefined && state.random() >= fault.probability) continue;
    if (fault.count !== undefined) fault.count--;
    return fault;
  }
  return undefined;
}

function matchesPath(pattern: string, path: string) {
  if (pattern.startsWith("^")) return new RegExp(pattern).test(path);
  return path === pattern || path.startsWith(pattern.endsWith("/") ? pattern : `${pattern}/`) || path.startsWith(pattern + "?");
}

function faultResponse(fault: Fault): Res {
  const code = fault.code ?? 1;
  const message = fault.message ?? "Injected fault";
  if (fault.body200) return { status: 200, body: { code, message } };
  return { status: fault.status ?? 500, body: { code, message } };
}

function route(ctx: SandboxContext, req: Req): Res {
  const { state, cfg } = ctx;
  if (req.path === "/oauth/v2/auth") return req.method === "POST" ? accounts.authorizeDecision(state, cfg, req) : accounts.authorizePage(state, cfg, req);
  if (req.path === "/oauth/v2/token" && req.method === "POST") return accounts.token(state, cfg, req);
  if (req.path === "/oauth/v2/token/revoke" && req.method === "POST") return accounts.revoke(state, req);
  if (req.path.startsWith("/books/v3/")) return booksRoute(ctx, req);
  if (req.path.startsWith("/books/app/")) return { status: 200, html: "<!doctype html><title>Zoho Books sandbox</title><p>The Zoho Books web app is not emulated; use the control API to inspect contacts.</p>" };
  return zohoError(404, 5, "Invalid URL Passed");
}

function booksRoute(ctx: SandboxContext, req: Req): Res {
  const { state, cfg } = ctx;
  const found = findOperation(req.method, req.path.slice("/books/v3".length));
  if (!found) return zohoError(404, 5, "Invalid URL Passed");
  const { op, pathParams } = found;
  // Authorization: Zoho-oauthtoken <token>. Books answers 401 + 57 for an expired, revoked or unknown
  // token exactly as for a missing scope (docs/zoho-facts.md, "Errors").
  const header = req.headers.authorization ?? "";
  const match = header.match(/^Zoho-oauthtoken\s+(\S+)$/i);
  const access = match ? state.accessTokens.get(match[1]) : undefined;
  if (!access || access.revoked || access.expiresAt <= state.now()) return zohoError(401, books.CODES.notAuthorised, books.NOT_AUTHORISED);
  if (!books.hasScope(access.scope, op.scope)) return zohoError(401, books.CODES.notAuthorised, books.NOT_AUTHORISED);
  const org = req.query.get("organization_id");
  if (!org) return zohoError(400, books.CODES.invalidValue, "Invalid value passed for organization_id");
  if (org !== cfg.organizationId) return zohoError(400, books.CODES.wrongOrganisation, `This user is not associated with the CompanyID/CompanyName:${org}.`);

  // Limits (per organisation, shared by every token): Zoho answers 429 with a code and no Retry-After.
  const now = state.now();
  state.recentCalls = state.recentCalls.filter((t) => t > now - 60_000);
  const day = new Date(now).toISOString().slice(0, 10);
  const today = state.dailyCalls.get(day) ?? 0;
  if (today >= state.settings.dailyLimit)
    return zohoError(429, books.CODES.daily, "You have reached the maximum number of API calls allowed per day for your organization.");
  if (state.recentCalls.length >= state.settings.perMinuteLimit)
    return zohoError(429, books.CODES.perMinute, "You have made too many requests per minute. Please try again after some time.");
  state.recentCalls.push(now);
  state.dailyCalls.set(day, today + 1);

  // Everything Zoho's documents do not allow is refused before any data is touched.
  const refusal = checkParameters(op, req.query, req.headers) ?? checkBody(op, req.body);
  if (refusal) return zohoError(400, refusal.code, refusal.message);

  switch (op.operationId) {
    case "list_contacts":
      return books.listContacts(state, req);
    case "get_contact":
      return books.getContact(state, pathParams.contact_id);
    case "create_contact":
      return createContact(state, req);
    case "update_contact_using_custom_field":
      return upsertContact(state, req, access.scope);
    case "update_contact":
      return updateContact(state, pathParams.contact_id, req);
    case "delete_contact":
      return books.deleteContact(state, pathParams.contact_id);
    case "mark_contact_inactive":
      return books.markContactInactive(state, pathParams.contact_id);
    case "update_contact_person":
      return updateContactPerson(state, pathParams.contact_person_id, req);
    case "list_contact_persons":
      return books.listContactPersons(state, pathParams.contact_id, req.query);
    case "list_invoices":
      return books.listInvoices(state, req);
    default:
      return zohoError(404, 5, "Invalid URL Passed");
  }
}
