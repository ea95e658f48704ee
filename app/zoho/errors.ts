// What a Zoho answer means, decided in one place. Zoho sometimes reports failures inside an HTTP 200
// with a non-zero `code`, so the verdict always reads `code` first and the status second
// (docs/zoho-facts.md, "Errors").

export type ZohoErrorKind =
  /** The connection is gone (revoked/invalid refresh token, wrong data centre): an admin must reconnect. */
  | "reconnect_needed"
  /** No Zoho connection has been made yet. */
  | "not_connected"
  /** Zoho's per-minute limit or our own pacing: try again in a minute, no attempt burned. */
  | "rate_limited"
  /** Zoho's limit on concurrent in-flight calls per organisation (code 1070): try again shortly, no attempt burned. */
  | "concurrency_limited"
  /** Zoho's daily limit for the organisation, or our own daily budget: wait for tomorrow. */
  | "daily_limit"
  | "not_found"
  | "duplicate_name"
  /** A request Zoho refused as invalid: retrying the same request will not help. */
  | "invalid_request"
  /** 5xx, timeouts, network errors, unknown failures: worth another attempt later. */
  | "transient";

export class ZohoError extends Error {
  constructor(
    readonly kind: ZohoErrorKind,
    message: string,
    readonly details: { status?: number; code?: number; local?: boolean } = {},
  ) {
    super(message);
    this.name = "ZohoError";
  }

  /** Errors that mean "wait", not "this customer failed": they never burn an attempt. */
  get isWait() {
    return (
      this.kind === "rate_limited" ||
      this.kind === "concurrency_limited" ||
      this.kind === "daily_limit" ||
      this.kind === "reconnect_needed" ||
      this.kind === "not_connected"
    );
  }

  get isTransient() {
    return this.kind === "transient";
  }
}

// Zoho Books error codes the product relies on (sources in docs/zoho-facts.md).
export const ZOHO_CODES = {
  ok: 0,
  /** Invalid value for a parameter or field ("Invalid value passed for filter_by"). */
  invalidValue: 2,
  /** A body that is not valid JSON ("Invalid value passed for JSONString"). */
  invalidJson: 4,
  /** "Invalid URL Passed" (HTTP 404): the path or API domain is wrong, a misconfiguration, not a missing contact. */
  invalidUrl: 5,
  /** An older code for an invalid OAuth token; Books now answers 401 + 57 (below). */
  invalidToken: 14,
  /** HTTP 401: an expired or invalid access token AND a missing permission share this code. */
  notAuthorised: 57,
  perMinuteLimit: 44,
  dailyLimit: 45,
  /** Too many concurrent in-flight calls for the organisation. */
  concurrency: 1070,
  /** The token's user does not belong to the organization_id sent. */
  wrongOrganisation: 6041,
  notFound: [1002, 1003] as readonly number[],
  duplicateName: [1001, 3062] as readonly number[],
} as const;

/** Fields of a contact we fill from the customer's own details: Zoho refusing one of them is about this customer. */
const CUSTOMER_FIELDS = /\b(contact_name|first_name|last_name|email|phone|mobile|contact_persons|contact name|first name|last name)\b/i;

export type ZohoBody = { code?: unknown; message?: unknown; [key: string]: unknown };

/** Returns null when the answer is a success, else the classified error. Pure. */
export function classifyZohoAnswer(status: number, body: ZohoBody | null): ZohoError | null {
  const code = typeof body?.code === "number" ? body.code : undefined;
  const message = typeof body?.message === "string" && body.message ? body.message : `HTTP ${status}`;
  const details = { status, code };
  if (status >= 200 && status < 300 && code === 0) return null;
  if (status >= 200 && status < 300 && code === undefined && body) return null; // e.g. revoke answers without code

  // Zoho answers all three limits with HTTP 429; only the code tells them apart, so codes come first.
  if (code === ZOHO_CODES.dailyLimit || (status === 429 && code === undefined && /per day|daily/i.test(message)))
    return new ZohoError("daily_limit", `Zoho's daily API limit is reached: ${message}`, details);
  // 1070: too many calls in flight for the organisation (HTTP 429 too): they finish in seconds, a short wait.
  if (code === ZOHO_CODES.concurrency)
    return new ZohoError("concurrency_limited", `Zoho has too many requests in progress for the organisation: ${message}`, details);
  if (code === ZOHO_CODES.perMinuteLimit || status === 429)
    return new ZohoError("rate_limited", `Zoho is rate limiting requests: ${message}`, details);
  // Any 401 (codes 57 and 14 alike) first means "this access token": the client refreshes once and retries.
  if (status === 401 || code === ZOHO_CODES.invalidToken || code === ZOHO_CODES.notAuthorised)
    return new ZohoError("reconnect_needed", `Zoho refused the access token: ${message}`, details);
  if (code === ZOHO_CODES.wrongOrganisation)
    return new ZohoError("reconnect_needed", `Zoho says this connection cannot use the configured organisation (check ZOHO_ORGANIZATION_ID, or reconnect with the right organisation): ${message}`, details);
  if (code !== undefined && ZOHO_CODES.duplicateName.includes(code))
    return new ZohoError("duplicate_name", message, details);
  // "Invalid URL Passed": the address we call is wrong (API domain, path), not the contact: an admin must act.
  if (code === ZOHO_CODES.invalidUrl)
    return new ZohoError(
      "reconnect_needed",
      `Zoho answered "Invalid URL" (HTTP ${status}, code ${code}): the Zoho Books API address this connection uses is wrong; check ZOHO_ACCOUNTS_URL and reconnect Zoho Books (Zoho said: "${message}")`,
      details,
    );
  if ((code !== undefined && ZOHO_CODES.notFound.includes(code)) || status === 404)
    return new ZohoError("not_found", message, details);
  if (status >= 500 || status === 0) return new ZohoError("transient", `Zoho is unavailable: ${message}`, details);
  // A validation error about a field filled from the customer's details: the same request will fail again.
  if (status === 400 && (code === ZOHO_CODES.invalidValue || code === ZOHO_CODES.invalidJson) && CUSTOMER_FIELDS.test(message))
    return new ZohoError("invalid_request", `Zoho rejected this customer's details: ${message}`, details);
  // Anything else (unknown codes, refusals about our own parameters, HTTP 2xx with a non-zero code) is not
  // proof that this customer can never sync: retry later (creates are protected against duplicates in app/sync).
  return new ZohoError("transient", `Zoho reported an error (HTTP ${status}, code ${code ?? "none"}): ${message}`, details);
}

/**
 * Zoho says the contact read does not exist (HTTP 404 with its "Contact does not exist" code): deleted in Zoho. An
 * "Invalid URL" 404 (code 5: the address is wrong) is no such proof, nor a 404 without Zoho's code (a proxy's page).
 */
export function contactDoesNotExist(error: unknown): boolean {
  return error instanceof ZohoError && error.kind === "not_found" && error.details.code !== undefined && ZOHO_CODES.notFound.includes(error.details.code);
}

/** After a refresh, Zoho still refuses: the connection is dead or lacks a permission; only an admin can fix it. */
export function refusedAfterRefresh(error: ZohoError): ZohoError {
  return new ZohoError(
    "reconnect_needed",
    `Zoho refused the request even with a fresh access token: reconnect Zoho Books or grant the missing permission (Zoho said: "${error.message.replace(/^Zoho refused the access token: /, "")}", HTTP ${error.details.status ?? "?"}, code ${error.details.code ?? "none"})`,
    error.details,
  );
}
