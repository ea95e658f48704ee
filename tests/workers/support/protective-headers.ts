// The headers every Worker response must carry (docs/decisions/023), checked on one response.
import { expect } from "vitest";

/**
 * The headers every Worker response carries (pages, redirects, errors, refusals): a CSP whose scripts need
 * this response's nonce, and no cache may keep anything the Worker renders. Every inline script of an HTML
 * page carries the nonce, or the browser would not run it.
 */
export async function expectProtectiveHeaders(res: Response, what: string, body?: string) {
  const csp = res.headers.get("Content-Security-Policy") ?? "";
  const nonce = csp.match(/script-src 'self' 'nonce-([A-Za-z0-9+/=]{16,})'/)?.[1];
  expect(nonce, `${what}: CSP ${csp}`).toBeTruthy();
  expect(csp, what).not.toContain("unsafe-inline");
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("object-src 'none'");
  expect(res.headers.get("X-Frame-Options"), what).toBe("DENY");
  expect(res.headers.get("X-Content-Type-Options"), what).toBe("nosniff");
  expect(res.headers.get("Referrer-Policy"), what).toBe("same-origin");
  expect(res.headers.get("X-Request-Id"), what).toMatch(/^[0-9a-f-]{36}$/);
  expect(res.headers.get("Cache-Control"), what).toBe("no-store");
  if ((res.headers.get("Content-Type") ?? "").startsWith("text/html")) {
    const scripts = [...(body ?? (await res.clone().text())).matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
    for (const attributes of scripts.filter((a) => !/\bsrc=/.test(a))) expect(attributes, `${what}: inline script without the nonce`).toContain(`nonce="${nonce}"`);
  }
}
