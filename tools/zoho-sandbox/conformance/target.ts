// The Zoho Books organisation a conformance run talks to: real Zoho (a shop's test organisation) or the
// sandbox. Raw HTTP on purpose: the probes check Zoho itself, not our client's reading of it.

export type Target = {
  accountsUrl: string;
  apiDomain: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  organizationId: string;
  /** API name of a contact custom field marked "do not allow duplicates" (upsert probes are skipped without it). */
  uniqueField?: string;
  /** An access token issued more than an hour ago (the expired-token probe is skipped without it). */
  expiredToken?: string;
};

export const ENV_NAMES = {
  accountsUrl: "ZOHO_CONFORMANCE_ACCOUNTS_URL",
  apiDomain: "ZOHO_CONFORMANCE_API_DOMAIN",
  clientId: "ZOHO_CONFORMANCE_CLIENT_ID",
  clientSecret: "ZOHO_CONFORMANCE_CLIENT_SECRET",
  refreshToken: "ZOHO_CONFORMANCE_REFRESH_TOKEN",
  organizationId: "ZOHO_CONFORMANCE_ORG_ID",
  uniqueField: "ZOHO_CONFORMANCE_UNIQUE_FIELD",
  expiredToken: "ZOHO_CONFORMANCE_EXPIRED_TOKEN",
} as const;

/** Variables a run can do without (their probes are skipped). */
const OPTIONAL: ReadonlyArray<keyof typeof ENV_NAMES> = ["uniqueField", "expiredToken"];

export function targetFromEnv(env: Record<string, string | undefined>): Target | { missing: string[] } {
  const missing = Object.entries(ENV_NAMES)
    .filter(([key, name]) => !OPTIONAL.includes(key as keyof typeof ENV_NAMES) && !env[name])
    .map(([, name]) => name);
  if (missing.length) return { missing };
  const get = (k: keyof typeof ENV_NAMES) => env[ENV_NAMES[k]]!;
  return {
    accountsUrl: get("accountsUrl"),
    apiDomain: get("apiDomain"),
    clientId: get("clientId"),
    clientSecret: get("clientSecret"),
    refreshToken: get("refreshToken"),
    organizationId: get("organizationId"),
    uniqueField: env[ENV_NAMES.uniqueField] || undefined,
    expiredToken: env[ENV_NAMES.expiredToken] || undefined,
  };
}

export type Answer = { status: number; body: Record<string, unknown> };

export class Session {
  accessToken = "";
  calls = 0;
  constructor(readonly target: Target) {}

  async token(): Promise<Answer> {
    const res = await fetch(new URL("/oauth/v2/token", this.target.accountsUrl), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", client_id: this.target.clientId, client_secret: this.target.clientSecret, refresh_token: this.target.refreshToken }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (typeof body.access_token === "string") this.accessToken = body.access_token;
    return { status: res.status, body };
  }

  /** A Books call; `query` may override organization_id, `token` the access token. */
  async books(method: string, path: string, opts: { query?: Record<string, string>; body?: unknown; headers?: Record<string, string>; token?: string } = {}): Promise<Answer> {
    const url = new URL(`/books/v3${path}`, this.target.apiDomain);
    url.searchParams.set("organization_id", this.target.organizationId);
    for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
    this.calls++;
    const res = await fetch(url, {
      method,
      headers: {
        Authorization: `Zoho-oauthtoken ${opts.token ?? this.accessToken}`,
        ...(opts.body === undefined ? {} : { "Content-Type": "application/json" }),
        ...opts.headers,
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(20_000),
    });
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = { raw: text.slice(0, 200) };
    }
    return { status: res.status, body };
  }
}

/** "HTTP 400 code 2" — how a probe describes an answer. */
export const describe = (a: Answer) => `HTTP ${a.status}${typeof a.body.code === "number" ? ` code ${a.body.code}` : ""}`;
