// CSRF: a signed double-submit token bound to the session (docs/decisions/025, amending 006). The token
// is a random value and an HMAC-SHA256, under SESSION_SECRET, of that value and the session id the browser
// holds ("" before it has a session). It sits in an HttpOnly SameSite=Lax cookie and in every form (field
// "csrf") or the X-CSRF-Token header. A state-changing request passes when the Origin (if sent) is this
// site, both copies match, and the HMAC is ours and names the request's session: a pair planted by someone
// else, or a token from another session (or from before signing in or out), is refused.
import { randomBase64Url, toBase64Url } from "~/common/base64";
import { readCookie } from "~/common/cookies";
import { timingSafeEqual } from "./password.server";

export const CSRF_FIELD = "csrf";
export const CSRF_HEADER = "X-CSRF-Token";
const SAFE_METHODS = new Set(["GET", "HEAD"]);

export function csrfCookieName(secure: boolean) {
  return secure ? "__Host-csrf" : "csrf";
}

export function csrfSetCookie(token: string, secure: boolean) {
  return `${csrfCookieName(secure)}=${token}; Path=/; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

const keys = new Map<string, Promise<CryptoKey>>();
function hmacKey(secret: string) {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    keys.set(secret, key);
  }
  return key;
}

async function mac(secret: string, value: string, sessionId: string | null) {
  const data = new TextEncoder().encode(`csrf\u0000${sessionId ?? ""}\u0000${value}`);
  return toBase64Url(new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), data)));
}

/** A new token for the browser's current session (null: no session yet). */
export async function issueCsrfToken(secret: string, sessionId: string | null): Promise<string> {
  const value = randomBase64Url(18);
  return `${value}.${await mac(secret, value, sessionId)}`;
}

/** Whether `token` was issued by us for this session. */
export async function csrfTokenFits(secret: string, token: string, sessionId: string | null): Promise<boolean> {
  const dot = token.indexOf(".");
  if (dot < 1 || token.length > 200) return false;
  const expected = await mac(secret, token.slice(0, dot), sessionId);
  const enc = new TextEncoder();
  return timingSafeEqual(enc.encode(token.slice(dot + 1)), enc.encode(expected));
}

export type CsrfVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Checks a state-changing request (requests authenticated by a bearer secret, cron, skip this). `form` is
 * the body the Worker already read, when it is a form.
 */
export async function verifyCsrf(
  request: Request,
  opts: { secret: string; secure: boolean; sessionId: string | null; form: FormData | null },
): Promise<CsrfVerdict> {
  if (SAFE_METHODS.has(request.method)) return { ok: true };
  // "null" is an opaque origin (a sandboxed frame, a file, a redirect chain): not this site either.
  const origin = request.headers.get("Origin");
  if (origin !== null && origin !== new URL(request.url).origin) return { ok: false, reason: "cross-origin request" };
  const expected = readCookie(request, csrfCookieName(opts.secure));
  if (!expected) return { ok: false, reason: "missing CSRF cookie" };
  const field = opts.form?.get(CSRF_FIELD);
  const sent = request.headers.get(CSRF_HEADER) ?? (typeof field === "string" ? field : undefined);
  if (!sent) return { ok: false, reason: "missing CSRF token" };
  const enc = new TextEncoder();
  if (!timingSafeEqual(enc.encode(sent), enc.encode(expected))) return { ok: false, reason: "CSRF token mismatch" };
  if (!(await csrfTokenFits(opts.secret, expected, opts.sessionId))) return { ok: false, reason: "CSRF token not issued for this session" };
  return { ok: true };
}
