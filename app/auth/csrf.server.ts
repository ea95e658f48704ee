// Signed double-submit CSRF token: a random value in an HttpOnly SameSite=Lax cookie, the same value
// in every form (hidden field "csrf") or in the X-CSRF-Token header, and the Origin checked when sent.
import { randomBase64Url } from "~/common/base64";
import { timingSafeEqual } from "./password.server";

export const CSRF_FIELD = "csrf";
export const CSRF_HEADER = "X-CSRF-Token";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function csrfCookieName(secure: boolean) {
  return secure ? "__Host-csrf" : "csrf";
}

export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get("Cookie") ?? "";
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

export function newCsrfToken() {
  return randomBase64Url(24);
}

export function csrfSetCookie(token: string, secure: boolean) {
  return `${csrfCookieName(secure)}=${token}; Path=/; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

export type CsrfVerdict = { ok: true } | { ok: false; reason: string };

/** Checks a state-changing request. Requests authenticated by a bearer secret (cron) skip this. */
export async function verifyCsrf(request: Request, secure: boolean): Promise<CsrfVerdict> {
  if (SAFE_METHODS.has(request.method)) return { ok: true };
  const origin = request.headers.get("Origin");
  if (origin && origin !== "null" && origin !== new URL(request.url).origin) {
    return { ok: false, reason: "cross-origin request" };
  }
  const expected = readCookie(request, csrfCookieName(secure));
  if (!expected) return { ok: false, reason: "missing CSRF cookie" };
  let sent = request.headers.get(CSRF_HEADER) ?? undefined;
  const type = request.headers.get("Content-Type") ?? "";
  if (!sent && (type.includes("form-urlencoded") || type.includes("multipart/form-data"))) {
    const form = await request.clone().formData();
    const value = form.get(CSRF_FIELD);
    sent = typeof value === "string" ? value : undefined;
  }
  if (!sent) return { ok: false, reason: "missing CSRF token" };
  const enc = new TextEncoder();
  return timingSafeEqual(enc.encode(sent), enc.encode(expected)) ? { ok: true } : { ok: false, reason: "CSRF token mismatch" };
}
