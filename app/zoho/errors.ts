// What a Zoho answer means, decided in one place. Zoho sometimes reports failures inside an HTTP 200
// with a non-zero `code`, so the verdict always reads `code` first and the status second
// (docs/zoho-facts.md, "Errors").

export type ZohoErrorKind =
  /** The connection is gone (revoked/invalid refresh token, wrong data centre): an admin must reconnect. */
  | "reconnect_needed"
  /** The token lacks a scope this call needs: reconnect with the right scopes. */
  | "missing_scope"
  /** No Zoho connection has been made yet. */
  | "not_connected"
  /** Zoho's per-minute limit or our own pacing: try again in a minute, no attempt burned. */
  | "rate_limited"
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
      this.kind === "daily_limit" ||
      this.kind === "reconnect_needed" ||
      this.kind === "missing_scope" ||
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
  invalidToken: 14,
  notAuthorised: 57,
  perMinuteLimit: 44,
  dailyLimit: 45,
  notFound: [1002, 1003] as readonly number[],
  duplicateName: [1001, 3062] as readonly number[],
} as const;

export type ZohoBody = { code?: unknown; message?: unknown; [key: string]: unknown };

/** Returns null when the answer is a success, else the classified error. Pure. */
export function classifyZohoAnswer(status: number, body: ZohoBody | null): ZohoError | null {
  const code = typeof body?.code === "number" ? body.code : undefined;
  const message = typeof body?.message === "string" && body.message ? body.message : `HTTP ${status}`;
  const details = { status, code };
  if (status >= 200 && status < 300 && code === 0) return null;
  if (status >= 200 && status < 300 && code === undefined && body) return null; // e.g. revoke answers without code

  if (code === ZOHO_CODES.dailyLimit || (status === 429 && /per day|daily/i.test(message)))
    return new ZohoError("daily_limit", `Zoho's daily API limit is reached: ${message}`, details);
  if (code === ZOHO_CODES.perMinuteLimit || status === 429)
    return new ZohoError("rate_limited", `Zoho is rate limiting requests: ${message}`, details);
  if (code === ZOHO_CODES.invalidToken) return new ZohoError("reconnect_needed", `Zoho refused the access token: ${message}`, details);
  if (code === ZOHO_CODES.notAuthorised)
    return new ZohoError("missing_scope", `The Zoho connection is not allowed to do this (missing scope): ${message}`, details);
  if (code !== undefined && ZOHO_CODES.duplicateName.includes(code))
    return new ZohoError("duplicate_name", message, details);
  if ((code !== undefined && ZOHO_CODES.notFound.includes(code)) || status === 404)
    return new ZohoError("not_found", message, details);
  if (status === 401) return new ZohoError("reconnect_needed", `Zoho refused the credentials: ${message}`, details);
  if (status >= 500 || status === 0) return new ZohoError("transient", `Zoho is unavailable: ${message}`, details);
  if (status >= 400) return new ZohoError("invalid_request", `Zoho rejected the request: ${message}`, details);
  // HTTP 2xx with a non-zero code that we do not know: we cannot tell what happened, so retry later
  // (creates are protected against duplicates by the idempotency rules in app/sync).
  return new ZohoError("transient", `Zoho reported an error (code ${code ?? "none"}): ${message}`, details);
}
