// Zoho Accounts: the consent page, the token endpoint and revoke (docs/zoho-facts.md, "OAuth").
// Errors come back the way Zoho sends them: HTTP 200 with `{ "error": "invalid_code" }` and friends.
import { escapeHtml, json, type Req, type Res } from "./http";
import type { RefreshToken, SandboxState } from "./state";

export type AccountsConfig = { clientId: string; clientSecret: string; url: string };

const ACCESS_TTL_MS = 3600_000;
const CODE_TTL_MS = 120_000;
const MAX_REFRESH_TOKENS = 20;
const REFRESH_WINDOW_MS = 10 * 60_000;
const MAX_ACCESS_PER_WINDOW = 10;
/** At most 10 live access tokens per refresh token: issuing another retires the oldest. */
const MAX_LIVE_ACCESS_TOKENS = 10;

function params(req: Req) {
  const all = new URLSearchParams(req.query);
  for (const [k, v] of req.form) all.set(k, v);
  return all;
}

export function authorizePage(state: SandboxState, cfg: AccountsConfig, req: Req): Res {
  const p = params(req);
  const problem = validateAuthorize(state, cfg, p);
  if (problem) return { status: 400, html: page("Invalid request", `<p>${escapeHtml(problem)}</p>`) };
  const hidden = [...p].filter(([k]) => k !== "decision").map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join("");
  const scopes = (p.get("scope") ?? "").split(/[ ,]+/).filter(Boolean).map((s) => `<li>${escapeHtml(s)}</li>`).join("");
  return {
    status: 200,
    html: page(
      "Zoho Books sandbox – authorise",
      `<h1>Cangoods Portal wants to access your Zoho Books</h1>
       <p>Organisation: sandbox. Requested permissions:</p><ul>${scopes}</ul>
       <form method="post" action="/oauth/v2/auth">${hidden}
         <button type="submit" name="decision" value="accept">Accept</button>
         <button type="submit" name="decision" value="deny">Deny</button>
       </form>`,
    ),
  };
}

export function authorizeDecision(state: SandboxState, cfg: AccountsConfig, req: Req): Res {
  const p = params(req);
  const problem = validateAuthorize(state, cfg, p);
  if (problem) return { status: 400, html: page("Invalid request", `<p>${escapeHtml(problem)}</p>`) };
  const redirect = new URL(p.get("redirect_uri")!);
  if (p.get("state")) redirect.searchParams.set("state", p.get("state")!);
  if (p.get("decision") !== "accept") {
    redirect.searchParams.set("error", "access_denied");
    return { status: 302, headers: { Location: redirect.toString() } };
  }
  const code = state.token("code");
  state.codes.set(code, {
    code,
    clientId: cfg.clientId,
    redirectUri: p.get("redirect_uri")!,
    scope: p.get("scope") ?? "",
    // A refresh token is only issued for offline access with a fresh consent.
    refreshAllowed: p.get("access_type") === "offline" && p.get("prompt") === "consent",
    expiresAt: state.now() + CODE_TTL_MS,
    used: false,
  });
  redirect.searchParams.set("code", code);
  redirect.searchParams.set("location", "us");
  redirect.searchParams.set("accounts-server", cfg.url);
  return { status: 302, headers: { Location: redirect.toString() } };
}

function validateAuthorize(state: SandboxState, cfg: AccountsConfig, p: URLSearchParams) {
  if (p.get("client_id") !== cfg.clientId) return "Invalid client_id: no such client.";
  if (p.get("response_type") !== "code") return "response_type must be code.";
  if (!p.get("scope")) return "scope is required.";
  // Zoho shows an error page when the redirect URI is not the one registered for the client.
  if (!isRegisteredRedirect(state, p.get("redirect_uri") ?? "")) return "Invalid Redirect Uri: it does not match the one registered for this client.";
  return null;
}

/** Exact match with a registered URI; a registered `:*` port stands for any port (the local stack's random ports). */
export function isRegisteredRedirect(state: SandboxState, uri: string) {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  return state.settings.redirectUris.some((registered) => {
    if (!registered.includes(":*/")) return registered === uri;
    const [before, after] = registered.split(":*/");
    return url.origin.startsWith(`${before}:`) && /^\d+$/.test(url.port) && `${url.origin}${url.pathname}${url.search}` === `${before}:${url.port}/${after}`;
  });
}

export function token(state: SandboxState, cfg: AccountsConfig, req: Req): Res {
  state.tokenRequests++;
  const p = params(req);
  if (p.get("client_id") !== cfg.clientId) return json(200, { error: "invalid_client" });
  if (p.get("client_secret") !== cfg.clientSecret) return json(200, { error: "invalid_client_secret" });
  const grant = p.get("grant_type");
  if (grant === "authorization_code") {
    const code = state.codes.get(p.get("code") ?? "");
    if (!code || code.used || code.expiresAt < state.now()) return json(200, { error: "invalid_code" });
    if (code.redirectUri !== p.get("redirect_uri")) return json(200, { error: "invalid_redirect_uri" });
    code.used = true;
    const refresh = code.refreshAllowed ? issueRefreshToken(state, cfg.clientId, code.scope) : null;
    const access = issueAccessToken(state, code.scope, refresh);
    // No `scope` in the answer: Zoho usually leaves it out (docs/zoho-facts.md, "OAuth").
    return json(200, {
      access_token: access,
      ...(refresh ? { refresh_token: refresh.token } : {}),
      api_domain: cfg.url,
      token_type: "Bearer",
      expires_in: 3600,
    });
  }
  if (grant === "refresh_token") {
    const refresh = state.refreshTokens.find((t) => t.token === p.get("refresh_token") && !t.revoked);
    if (!refresh) return json(200, { error: "invalid_code" });
    const now = state.now();
    refresh.accessIssued = refresh.accessIssued.filter((t) => t > now - REFRESH_WINDOW_MS);
    if (refresh.accessIssued.length >= MAX_ACCESS_PER_WINDOW)
      return json(400, {
        error: "Access Denied",
        error_description: "You have made too many requests continuously. Please try again after some time.",
      });
    refresh.accessIssued.push(now);
    return json(200, { access_token: issueAccessToken(state, refresh.scope, refresh), api_domain: cfg.url, token_type: "Bearer", expires_in: 3600 });
  }
  return json(200, { error: "unsupported_grant_type" });
}

export function revoke(state: SandboxState, req: Req): Res {
  const value = params(req).get("token") ?? "";
  const refresh = state.refreshTokens.find((t) => t.token === value);
  if (refresh) revokeRefresh(state, refresh);
  const access = state.accessTokens.get(value);
  if (access) access.revoked = true;
  return json(200, { status: "success" });
}

export function issueRefreshToken(state: SandboxState, clientId: string, scope: string): RefreshToken {
  const live = state.refreshTokens.filter((t) => t.clientId === clientId && !t.revoked);
  // The 21st refresh token silently invalidates the oldest.
  if (live.length >= MAX_REFRESH_TOKENS) revokeRefresh(state, live[0]);
  const refresh: RefreshToken = { token: state.token("refresh"), clientId, scope, issuedAt: state.now(), revoked: false, accessIssued: [] };
  state.refreshTokens.push(refresh);
  return refresh;
}

export function issueAccessToken(state: SandboxState, scope: string, refresh: RefreshToken | null) {
  if (refresh) {
    const live = [...state.accessTokens.values()].filter((a) => a.refreshToken === refresh.token && !a.revoked && a.expiresAt > state.now());
    for (const old of live.slice(0, Math.max(0, live.length - MAX_LIVE_ACCESS_TOKENS + 1))) old.revoked = true;
  }
  const token = state.token("access");
  state.accessTokens.set(token, { token, scope, expiresAt: state.now() + ACCESS_TTL_MS, refreshToken: refresh?.token ?? null, revoked: false });
  return token;
}

function revokeRefresh(state: SandboxState, refresh: RefreshToken) {
  refresh.revoked = true;
  for (const access of state.accessTokens.values()) if (access.refreshToken === refresh.token) access.revoked = true;
}

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
  `<meta name="viewport" content="width=device-width, initial-scale=1"></head><body style="font-family:sans-serif;max-width:40rem;margin:2rem auto">${body}</body></html>`;
