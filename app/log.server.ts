// Structured logs (one JSON line each). Every line passes one redaction here, whatever a caller hands in:
// fields named like secrets are dropped, and inside any text (an SMTP relay's reply, a Zoho error, a URL)
// email addresses, bearer and OAuth tokens, secrets in query strings and long opaque strings are masked.
const SECRET_KEY = /(token|secret|password|authorization|cookie|code_verifier|^code$)/i;

const EMAIL = /[^\s<>()[\]{}"',;:@]+@[^\s<>()[\]{}"',;:@]+/g;
const AUTH_SCHEME = /\b(Bearer|Basic|Zoho-oauthtoken)\s+[^\s"',]+/gi;
const SECRET_PARAM = /([?&;\s](?:token|code|state|refresh_token|access_token|id_token|client_secret|password|csrf|session)=)[^&\s"'#]+/gi;
const SECRET_PAIR = /\b(password|passwd|secret|token)(\s*[=:]\s*)[^\s"',]+/gi;
const ZOHO_TOKEN = /\b1000\.[0-9a-f]{16,}\.[0-9a-f]{16,}\b/gi;
// Session ids, mailed-link tokens, CSRF tokens, keys: long runs of base64/hex with letters and digits.
const OPAQUE = /[A-Za-z0-9+/_-]{32,}={0,2}/g;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function redactText(text: string): string {
  return text
    .replace(ZOHO_TOKEN, "[redacted]")
    .replace(AUTH_SCHEME, "$1 [redacted]")
    .replace(SECRET_PARAM, "$1[redacted]")
    .replace(SECRET_PAIR, "$1$2[redacted]")
    .replace(EMAIL, "[email]")
    .replace(OPAQUE, (run) => (UUID.test(run) || !/\d/.test(run) || !/[A-Za-z]/.test(run) ? run : "[redacted]"));
}

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactText(value);
  if (value instanceof Error)
    return { name: value.name, message: redactText(value.message), ...(value.cause !== undefined && depth < 4 ? { cause: redact(value.cause, depth + 1) } : {}) };
  if (!value || typeof value !== "object") return value;
  if (depth > 4) return "[nested too deep]";
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? "[redacted]" : redact(v, depth + 1)]),
  );
}

type Level = "debug" | "info" | "warn" | "error";

export function log(level: Level, message: string, fields: Record<string, unknown> = {}) {
  const line = JSON.stringify({ level, message: redactText(message), at: new Date().toISOString(), ...(redact(fields) as object) });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}
