// Reading a Cookie header without trusting it: a value that does not decode (csrf=%ZZ) is treated as
// absent instead of throwing. The first occurrence of a name wins, as in the `cookie` package Remix uses.
export function parseCookies(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || cookies.has(name)) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      cookies.set(name, decodeURIComponent(value));
    } catch (error) {
      if (!(error instanceof URIError)) throw error; // a malformed escape: as if the cookie were absent
    }
  }
  return cookies;
}

export function readCookie(request: Request, name: string): string | undefined {
  return parseCookies(request.headers.get("Cookie")).get(name);
}

/** The same request without the named cookies (every occurrence), for cookies the app cannot read. */
export function withoutCookies(request: Request, names: string[]): Request {
  const header = request.headers.get("Cookie");
  if (!header) return request;
  const kept = header
    .split(";")
    .filter((part) => !names.includes(part.slice(0, Math.max(0, part.indexOf("="))).trim()))
    .map((part) => part.trim())
    .filter(Boolean);
  const headers = new Headers(request.headers);
  if (kept.length) headers.set("Cookie", kept.join("; "));
  else headers.delete("Cookie");
  return new Request(request, { headers });
}

/** The value a response's Set-Cookie headers give `name`: undefined when untouched, "" when cleared. */
export function setCookieValue(response: Response, name: string): string | undefined {
  let found: string | undefined;
  for (const header of response.headers.getSetCookie()) {
    const [pair, ...attributes] = header.split(";");
    const eq = pair.indexOf("=");
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=.*1970/i.test(a));
    found = expired ? "" : pair.slice(eq + 1).trim();
  }
  return found;
}
