import { z } from "zod";

// Every variable and secret the Worker reads, validated once per request or batch.
const EnvSchema = z.object({
  APP_ENV: z.enum(["development", "test", "production"]).default("production"),
  DATABASE_URL: z.string().url({ message: "must be a postgres:// URL" }),
  // Local only: host:port/path of the WebSocket-to-TCP proxy in front of a plain Postgres.
  DATABASE_WS_PROXY: z.string().optional(),
  SESSION_SECRET: z.string().min(32, { message: "must be at least 32 characters" }),
  // base64 of 32 random bytes; encrypts Zoho tokens at rest (AES-256-GCM).
  TOKEN_ENCRYPTION_KEY: z
    .string()
    .refine((v) => safeBase64Length(v) === 32, { message: "must be base64 of exactly 32 bytes" }),
  CRON_SECRET: z.string().min(16, { message: "must be at least 16 characters" }),
  ZOHO_CLIENT_ID: z.string().min(1),
  ZOHO_CLIENT_SECRET: z.string().min(1),
  // Accounts server of the data centre (https://accounts.zoho.com, .eu, .in, …) or the local sandbox.
  ZOHO_ACCOUNTS_URL: z.string().url(),
  ZOHO_ORGANIZATION_ID: z.string().min(1),
  // Public URL of this app, used to build the OAuth redirect URI (…/admin/zoho/callback).
  APP_URL: z.string().url(),
  ZOHO_DAILY_CALL_LIMIT: z.coerce.number().int().positive().default(500),
  // Share of the daily limit only invoice reads may use, so browsing order history survives a busy sync day.
  ZOHO_INVOICE_RESERVE: z.coerce.number().int().nonnegative().default(50),
  // Sync pacing under Zoho's 100 requests/minute/organisation.
  ZOHO_CALLS_PER_MINUTE: z.coerce.number().int().positive().max(100).default(80),
  // API name of a Zoho custom field marked "do not allow duplicates" holding our customer id (optional).
  ZOHO_UNIQUE_FIELD: z.string().optional(),
  FAILURE_WEBHOOK_URL: z.string().url().optional(),
});

export type AppEnv = z.infer<typeof EnvSchema>;

function safeBase64Length(v: string) {
  try {
    return atob(v).length;
  } catch {
    return -1;
  }
}

export class ConfigError extends Error {}

export function parseEnv(raw: Record<string, unknown>): AppEnv {
  const input = Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v === "string" && v !== ""));
  const result = EnvSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration (see README, "Configuration"):\n${lines.join("\n")}`);
  }
  return result.data;
}
