// The headers every response of the Worker carries, pages, errors and refusals alike (static assets get
// theirs from public/_headers: docs/decisions/023). Scripts run only from this site or with the
// request's nonce: Remix's inline scripts carry it (root.tsx, entry.server.tsx), nothing else inline does.
import { toBase64 } from "~/common/base64";

export function newNonce() {
  return toBase64(crypto.getRandomValues(new Uint8Array(16)));
}

/** Where forms may go: this site, and the Zoho accounts server the admin's "Connect" form redirects to. */
export function contentSecurityPolicy(nonce: string, formTargets: string[] = []) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    `form-action ${["'self'", ...formTargets].join(" ")}`,
    "frame-ancestors 'none'",
  ].join("; ");
}

// Pages only a signed-in person sees; no cache anywhere may keep them. (Every other page the Worker renders
// gets no-store too unless its route chose otherwise: pages carry the CSRF token and the signed-in email.)
const PRIVATE = /^\/(account|admin|api\/admin)(\/|\.data|$)/;

export function withSecurityHeaders(
  response: Response,
  opts: { requestId: string; nonce: string; secure: boolean; path: string; formTargets?: string[] },
): Response {
  const out = new Response(response.body, response);
  const h = out.headers;
  h.set("X-Request-Id", opts.requestId);
  h.set("Content-Security-Policy", contentSecurityPolicy(opts.nonce, opts.formTargets));
  h.set("X-Content-Type-Options", "nosniff");
  h.set("X-Frame-Options", "DENY");
  h.set("Referrer-Policy", "same-origin");
  h.set("Cross-Origin-Opener-Policy", "same-origin");
  if (opts.secure) h.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  if (PRIVATE.test(opts.path) || !h.has("Cache-Control")) h.set("Cache-Control", "no-store");
  return out;
}
