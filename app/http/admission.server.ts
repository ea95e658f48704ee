// What a request must be before Remix sees it, and what the response must carry after: cookies the app
// cannot read are dropped (the page answers as if they were absent), a state-changing request needs a
// readable body and a CSRF token signed for its session, and a response that changes the session gets a
// token for the new one (sign-in, registration, sign-out).
import { csrfCookieName, csrfSetCookie, csrfTokenFits, issueCsrfToken, verifyCsrf } from "~/auth/csrf.server";
import { readSessionId, sessionCookieName, sessionIdSetBy } from "~/auth/session.server";
import type { AppServices } from "~/context.server";
import { log } from "~/log.server";
import { readCookie, withoutCookies } from "~/common/cookies";
import { readRequestForm } from "./request-body.server";

// Requests authenticated by a shared secret instead of a browser session (the cron's bearer, Zoho's webhook).
const BEARER_PATHS = ["/api/cron/", "/api/zoho/webhook"];
// OPTIONS too is refused: this site answers no CORS preflight, and Remix would run it as an action.
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]);

export type Admission =
  | { ok: true; request: Request; sessionId: string | null; csrfToken: string; csrfCookie?: string }
  | { ok: false; response: Response };

export async function admit(request: Request, app: AppServices, path: string): Promise<Admission> {
  if (!METHODS.has(request.method)) {
    const response = refusal(request, 405, "This method is not allowed here.", "unknown method");
    response.headers.set("Allow", [...METHODS].join(", "));
    return { ok: false, response };
  }
  // HEAD is GET without the body (the entry drops it): Remix would run a HEAD data request as an action.
  if (request.method === "HEAD") request = new Request(request, { method: "GET" });
  const secure = app.secureCookies;
  const secret = app.env.SESSION_SECRET;
  // This Worker is the edge: a forwarded host can only come from the client, and Remix would compare it
  // with the Origin and throw (500) on a mismatch.
  if (request.headers.has("X-Forwarded-Host")) request = withoutHeaders(request, ["X-Forwarded-Host"]);
  const session = await readSessionId(request, app);
  if (session.unreadable) request = withoutCookies(request, [sessionCookieName(app)]);
  if (!BEARER_PATHS.some((p) => path.startsWith(p))) {
    const body = await readRequestForm(request, path);
    if (!body.ok) {
      log("info", "malformed request refused", { requestId: app.requestId, path, method: request.method, reason: body.reason });
      return { ok: false, response: refusal(request, 400, "This request could not be read. Reload the page and try again.", body.reason) };
    }
    const verdict = await verifyCsrf(request, { secret, secure, sessionId: session.id, form: body.form });
    if (!verdict.ok) {
      log("warn", "csrf rejected", { requestId: app.requestId, path, reason: verdict.reason });
      return { ok: false, response: refusal(request, 403, "This form has expired or was sent from another site. Reload the page and try again.", verdict.reason) };
    }
  }
  const existing = readCookie(request, csrfCookieName(secure));
  if (existing && (await csrfTokenFits(secret, existing, session.id))) return { ok: true, request, sessionId: session.id, csrfToken: existing };
  const csrfToken = await issueCsrfToken(secret, session.id);
  return { ok: true, request, sessionId: session.id, csrfToken, csrfCookie: csrfSetCookie(csrfToken, secure) };
}

/** The CSRF cookie the response must set: a token for the new session when the response changed it. */
export async function csrfCookieFor(response: Response, admitted: Admission & { ok: true }, app: AppServices): Promise<string | undefined> {
  const next = await sessionIdSetBy(response, app);
  if (next === undefined || next === admitted.sessionId) return admitted.csrfCookie;
  return csrfSetCookie(await issueCsrfToken(app.env.SESSION_SECRET, next), app.secureCookies);
}

function withoutHeaders(request: Request, names: string[]) {
  const headers = new Headers(request.headers);
  for (const name of names) headers.delete(name);
  return new Request(request, { headers });
}

function refusal(request: Request, status: 400 | 403 | 405, message: string, reason: string) {
  const wantsJson = (request.headers.get("Accept") ?? "").includes("application/json") || new URL(request.url).pathname.startsWith("/api/");
  return wantsJson
    ? Response.json({ error: message, reason }, { status })
    : new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
