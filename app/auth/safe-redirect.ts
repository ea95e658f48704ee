// The one rule for every redirect whose target comes from a visitor (?redirectTo= after sign-in, and any
// later one): only a path on this site, judged on what the URL parser makes of it — browsers drop tabs and
// newlines and read "\" as "/", so "/\t/evil.example" and "/\\evil.example" are other sites to them.
const BASE = "https://this-site.invalid";
const CONTROL_OR_BACKSLASH = /[\u0000-\u001f\u007f\\]/;

export function safeRedirect(to: unknown, fallback: string): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.length > 2000) return fallback;
  // Never anything a browser would strip or reinterpret, nor a header value that cannot be sent.
  if (CONTROL_OR_BACKSLASH.test(to)) return fallback;
  let url: URL;
  try {
    url = new URL(to, BASE);
  } catch {
    return fallback; // not a URL the parser accepts: not a path either
  }
  if (url.origin !== BASE) return fallback;
  // The parser resolves dot segments: "/..//evil.example" becomes "//evil.example", another host.
  const path = url.pathname + url.search + url.hash;
  if (path.startsWith("//") || new URL(path, BASE).origin !== BASE) return fallback;
  return path;
}
