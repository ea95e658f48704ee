// Structured logs (one JSON line each). Anything that looks like a secret is redacted before printing.
const SECRET_KEY = /(token|secret|password|authorization|cookie|code_verifier|^code$)/i;
const SECRET_VALUE = /(Zoho-oauthtoken\s+)\S+|(1000\.[0-9a-f]{20,}\.[0-9a-f]{20,})|(refresh_token=)[^&\s]+|(access_token=)[^&\s]+/gi;

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return value.replace(SECRET_VALUE, (_m, a, _b, c, d) => `${a ?? c ?? d ?? ""}[redacted]`);
  if (value instanceof Error) return { name: value.name, message: redact(value.message) };
  if (!value || typeof value !== "object" || depth > 4) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? "[redacted]" : redact(v, depth + 1)]),
  );
}

type Level = "debug" | "info" | "warn" | "error";

export function log(level: Level, message: string, fields: Record<string, unknown> = {}) {
  const line = JSON.stringify({ level, message, at: new Date().toISOString(), ...(redact(fields) as object) });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}
