// Zoho Accounts OAuth (authorization code grant, server-side). Source: docs/zoho-facts.md, "OAuth".
import type { DbOrTx } from "~/db/client.server";
import type { AppEnv } from "~/env.server";
import { recordZohoCall, type CallSubject } from "./call-log.server";
import { ZohoError } from "./errors";

/** Where a token call leaves its trail (the call log), when the caller has a database at hand. */
export type TokenCallTrail = { db: DbOrTx; subject?: CallSubject };

// What the product does in Books: read/create/update contacts (update is needed by the upsert) and
// read invoices for the customer's order history.
export const ZOHO_SCOPES = [
  "ZohoBooks.contacts.READ",
  "ZohoBooks.contacts.CREATE",
  "ZohoBooks.contacts.UPDATE",
  "ZohoBooks.invoices.READ",
] as const;

export const redirectUri = (env: Pick<AppEnv, "APP_URL">) => new URL("/admin/zoho/callback", env.APP_URL).toString();

export function authorizeUrl(env: AppEnv, state: string) {
  const url = new URL("/oauth/v2/auth", env.ZOHO_ACCOUNTS_URL);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: env.ZOHO_CLIENT_ID,
    scope: ZOHO_SCOPES.join(","),
    redirect_uri: redirectUri(env),
    state,
    // A refresh token is only issued with offline access AND a fresh consent.
    access_type: "offline",
    prompt: "consent",
  }).toString();
  return url.toString();
}

export type TokenGrant = {
  accessToken: string;
  refreshToken?: string;
  expiresIn: number;
  apiDomain: string;
  /** Zoho's token answers usually carry no `scope`: null then, and the caller keeps what it knows. */
  scopes: string | null;
};

type TokenBody = {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  api_domain?: string;
  scope?: string;
  error?: string;
  error_description?: string;
};

/** POSTs to the token endpoint; Zoho answers errors as HTTP 200 `{error}` (or 400 when throttled). */
export async function tokenRequest(accountsServer: string, params: Record<string, string>, fetchImpl = fetch, trail?: TokenCallTrail): Promise<TokenGrant> {
  const url = new URL("/oauth/v2/token", accountsServer);
  const started = Date.now();
  const record = (httpStatus: number | null, message: string | null) =>
    recordZohoCall(trail?.db, { ...trail?.subject, purpose: "token", method: "POST", url, httpStatus, zohoCode: null, message, durationMs: Date.now() - started });
  let res: Response;
  try {
    res = await fetchImpl(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(params),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    const failure = new ZohoError("transient", `Zoho Accounts is unreachable: ${(error as Error).message}`);
    await record(null, failure.message);
    throw failure;
  }
  const body = (await res.json().catch(() => null)) as TokenBody | null;
  // Only Zoho's error words are kept, never the grant (its tokens).
  await record(res.status, body?.error ? `${body.error}${body.error_description ? `: ${body.error_description}` : ""}` : null);
  if (!body) throw new ZohoError("transient", `Zoho Accounts answered HTTP ${res.status} without JSON`, { status: res.status });
  if (body.error) {
    if (/access denied|too many/i.test(`${body.error} ${body.error_description ?? ""}`))
      throw new ZohoError("rate_limited", "Zoho Accounts is throttling token requests", { status: res.status });
    if (res.status >= 500) throw new ZohoError("transient", `Zoho Accounts error: ${body.error}`, { status: res.status });
    throw new ZohoError("reconnect_needed", `Zoho refused the grant (${body.error}); reconnect Zoho Books`, { status: res.status });
  }
  if (res.status >= 500) throw new ZohoError("transient", `Zoho Accounts answered HTTP ${res.status}`, { status: res.status });
  if (!body.access_token || !body.api_domain)
    throw new ZohoError("transient", "Zoho Accounts answered without an access token", { status: res.status });
  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    expiresIn: body.expires_in ?? 3600,
    apiDomain: body.api_domain,
    scopes: body.scope || null,
  };
}

export function exchangeCode(env: AppEnv, accountsServer: string, code: string, fetchImpl = fetch, trail?: TokenCallTrail) {
  return tokenRequest(
    accountsServer,
    {
      grant_type: "authorization_code",
      client_id: env.ZOHO_CLIENT_ID,
      client_secret: env.ZOHO_CLIENT_SECRET,
      redirect_uri: redirectUri(env),
      code,
    },
    fetchImpl,
    trail,
  );
}

export async function revokeRefreshToken(accountsServer: string, refreshToken: string, fetchImpl = fetch, trail?: TokenCallTrail) {
  const url = new URL("/oauth/v2/token/revoke", accountsServer);
  url.searchParams.set("token", refreshToken);
  const started = Date.now();
  let status: number | null = null;
  try {
    status = (await fetchImpl(url, { method: "POST", signal: AbortSignal.timeout(15_000) })).status;
  } finally {
    // The token in the query string is removed before the write (call-log.ts).
    await recordZohoCall(trail?.db, { ...trail?.subject, purpose: "token", method: "POST", url, httpStatus: status, zohoCode: null, message: null, durationMs: Date.now() - started });
  }
}
