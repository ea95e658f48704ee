import { z } from "zod";
import { fromBase64 } from "~/common/base64";
import { DEFAULT_DAY_TIMEZONE, isTimeZone } from "~/common/budget-day";

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
  // Daily shares of that limit (docs/decisions: budget shares): customers' order history and admins' live
  // searches each get their own; sync gets the rest. No purpose can spend another's share.
  ZOHO_ORDERS_DAILY_SHARE: z.coerce.number().int().nonnegative().default(30),
  ZOHO_ADMIN_DAILY_SHARE: z.coerce.number().int().nonnegative().default(20),
  // The mirror of Zoho's directory and invoices (app/zoho/mirror/, docs/decisions/036-zoho-mirror.md): its own
  // daily share for the first full read and the hourly incremental reads; 0 turns the mirror off (sync looks
  // everything up live, as before).
  MIRROR_FULL_READ_DAILY_CALLS: z.coerce.number().int().nonnegative().default(100),
  // A decision refreshes a mirror copy older than this first, while today's sync share has room (one read serves
  // every job waiting on it); under budget pressure the copy is used as it is.
  MIRROR_FRESH_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  // Zoho's webhook (a workflow rule on contacts) posts to /api/zoho/webhook with this secret in the URL
  // (?secret=) or the X-Webhook-Secret header; unset: every delivery is refused (401).
  ZOHO_WEBHOOK_SECRET: z.string().min(16, { message: "must be at least 16 characters" }).optional(),
  // Order history reads invoices from the mirror, refreshed (one call for everyone) when older than this.
  MIRROR_INVOICES_FRESH_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  // Zoho calls one customer's order-history browsing may cause per UTC day (then the cached copy is shown).
  ZOHO_ORDERS_CALLS_PER_CUSTOMER: z.coerce.number().int().min(1).max(1000).default(10),
  // Replaced by the two shares above: refused so a stale configuration is noticed instead of ignored.
  ZOHO_INVOICE_RESERVE: z.undefined({ message: "replaced by ZOHO_ORDERS_DAILY_SHARE and ZOHO_ADMIN_DAILY_SHARE (see README)" }).optional(),
  // Sync pacing under Zoho's 100 requests/minute/organisation (tests and chaos runs may raise it).
  ZOHO_CALLS_PER_MINUTE: z.coerce.number().int().positive().default(80),
  // How long one Zoho call may take before it counts as a transient failure.
  ZOHO_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  // Zoho Books calls in flight at once from this app, every caller together (sync, order history, admin
  // searches, probes); Zoho refuses more than 10 per organisation (5 on the free plan), shared with every other
  // integration. Counted in Postgres (app/zoho/in-flight.server.ts).
  ZOHO_MAX_CONCURRENT_CALLS: z.coerce.number().int().min(1).max(100).default(5),
  // The time zone of the budget day (the ledger's day and its shares). Zoho does not document when its daily
  // limit resets: UTC is our assumption; an IANA zone (e.g. "Asia/Manila") when Zoho is learned to differ.
  ZOHO_DAY_TIMEZONE: z
    .string()
    .default(DEFAULT_DAY_TIMEZONE)
    .refine(isTimeZone, { message: 'must be an IANA time zone such as "UTC" or "Asia/Manila"' }),
  // How long a consumer owns a claimed job; after that the hourly sweep gives it to someone else.
  SYNC_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  // Chaos runs only (refused in production): crash between Zoho's write and ours, deliver messages twice.
  CHAOS_CRASH_RATE: z.coerce.number().min(0).max(1).optional(),
  CHAOS_DUPLICATE_RATE: z.coerce.number().min(0).max(1).optional(),
  // Chaos runs only: the customer with this email has a job that kills the worker every time it runs.
  CHAOS_POISON_EMAIL: z.string().optional(),
  // API name of a Zoho custom field marked "do not allow duplicates" holding our customer id (optional).
  ZOHO_UNIQUE_FIELD: z.string().optional(),
  FAILURE_WEBHOOK_URL: z.string().url().optional(),
  // Outgoing mail over SMTP (any relay: Postmark, SES, Mailgun, your provider…). Without SMTP_HOST
  // (development and tests only) mail waits in the outbox. SMTP_USERNAME / SMTP_PASSWORD are secrets.
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  // tls: TLS from the first byte (port 465); starttls: upgrade after connecting (587); none: local catcher only.
  SMTP_SECURITY: z.enum(["tls", "starttls", "none"]).default("starttls"),
  SMTP_USERNAME: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  MAIL_FROM: z.string().min(3).default("Cangoods <no-reply@cangoods.example>"),
  // Comma-separated addresses that get failure digests and stall/recovery alerts.
  ADMIN_ALERT_EMAILS: z
    .string()
    .optional()
    .refine((v) => !v || v.split(",").every((a) => z.email().safeParse(a.trim()).success), { message: "must be comma-separated email addresses" }),
  // At most one failure digest per this many minutes.
  ALERT_DIGEST_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(60),
  // How long an admin stays signed in (customers: 14 days). Short, because an admin session can do much more:
  // at most a day, so an admin's session always ends before a customer's.
  ADMIN_SESSION_HOURS: z.coerce.number().int().min(1).max(24).default(8),
  // An admin session ends after this many minutes without a request (docs/decisions/040).
  ADMIN_IDLE_MINUTES: z.coerce.number().min(1).max(24 * 60).default(30),
  // The dangerous admin actions ask for the second factor again when its last check is older than this
  // (minutes; fractions allowed, 0 asks every time). docs/decisions/040.
  ADMIN_REAUTH_MINUTES: z.coerce.number().min(0).max(60).default(5),
  // Multiplies the per-client-address abuse limits (registration, resend, password reset): raise it when
  // many customers share one address (carrier NAT); load tests on one machine set it high.
  RATE_LIMIT_ADDRESS_FACTOR: z.coerce.number().int().min(1).max(100_000).default(1),
  // Days the admin audit log keeps a row (the database refuses earlier deletes; never below 30).
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(30).max(3650).default(400),
  // Days the Zoho call log keeps a row (it can hold Zoho's messages about a customer: keep it short).
  ZOHO_CALL_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
});

export type AppEnv = z.infer<typeof EnvSchema>;

function productionRules(env: AppEnv): string[] {
  if (env.APP_ENV !== "production") return [];
  const problems: string[] = [];
  if (env.ZOHO_CALLS_PER_MINUTE > 100) problems.push("ZOHO_CALLS_PER_MINUTE: must be at most 100 (Zoho's per-minute limit)");
  if (env.CHAOS_CRASH_RATE !== undefined || env.CHAOS_DUPLICATE_RATE !== undefined || env.CHAOS_POISON_EMAIL !== undefined) problems.push("CHAOS_*: chaos settings are refused in production");
  if (env.DATABASE_WS_PROXY) problems.push("DATABASE_WS_PROXY: local development only");
  if (!env.SMTP_HOST) problems.push("SMTP_HOST: required in production (verification and password reset mails)");
  if (env.SMTP_SECURITY === "none") problems.push("SMTP_SECURITY: 'none' is for a local mail catcher only");
  if (env.SMTP_HOST && !!env.SMTP_USERNAME !== !!env.SMTP_PASSWORD) problems.push("SMTP_USERNAME/SMTP_PASSWORD: set both or neither");
  if (isExampleSender(env.MAIL_FROM))
    problems.push(`MAIL_FROM: still the example sender "${env.MAIL_FROM}"; set your shop's own address, on a domain whose SPF, DKIM and DMARC allow your relay (README, "Email")`);
  if (env.ZOHO_MAX_CONCURRENT_CALLS > ZOHO_CONCURRENT_LIMIT)
    problems.push(`ZOHO_MAX_CONCURRENT_CALLS: must be at most ${ZOHO_CONCURRENT_LIMIT} (Zoho's concurrent-call limit per organisation)`);
  return problems;
}

/** Zoho's concurrent calls per organisation on paid plans (the free plan allows 5). */
const ZOHO_CONCURRENT_LIMIT = 10;

// Domains reserved for examples and tests (RFC 2606, RFC 6761) and the project's own example domain: mail sent
// "from" them is refused or binned by every receiving server.
const EXAMPLE_DOMAIN = /(^|\.)(cangoods\.example|example(\.(com|net|org))?|test|invalid|localhost|local)$/i;

/** A sender whose domain is an example (the default MAIL_FROM, `no-reply@cangoods.example`): never a real sender. */
export function isExampleSender(from: string) {
  const address = from.match(/<([^>]+)>/)?.[1] ?? from;
  const domain = address.trim().split("@").pop() ?? "";
  return EXAMPLE_DOMAIN.test(domain.replace(/\.$/, ""));
}

function shareRules(env: AppEnv): string[] {
  const others = env.ZOHO_ORDERS_DAILY_SHARE + env.ZOHO_ADMIN_DAILY_SHARE + env.MIRROR_FULL_READ_DAILY_CALLS;
  return others < env.ZOHO_DAILY_CALL_LIMIT
    ? []
    : [
        `ZOHO_ORDERS_DAILY_SHARE + ZOHO_ADMIN_DAILY_SHARE + MIRROR_FULL_READ_DAILY_CALLS (${others}): must leave sync part of ZOHO_DAILY_CALL_LIMIT (${env.ZOHO_DAILY_CALL_LIMIT})`,
      ];
}

// Values a template ships for someone to replace (wrangler.toml's ZOHO_ORGANIZATION_ID = "set-me"):
// never a real setting in any environment, so refusing them names the variable someone forgot.
const PLACEHOLDER = /^(set[-_ ]?me|change[-_ ]?me|replace[-_ ]?me|fill[-_ ]?me[-_ ]?in|todo|tbd|placeholder|your[-_ ].+|<.*>|\$\{.*\})$/i;

export function isPlaceholder(value: string) {
  return PLACEHOLDER.test(value.trim());
}

function placeholders(input: Record<string, unknown>): string[] {
  return Object.entries(input)
    .filter(([key, value]) => key in EnvSchema.shape && typeof value === "string" && isPlaceholder(value))
    .map(([key, value]) => `${key}: still the placeholder "${String(value)}"; set the real value`);
}

function safeBase64Length(v: string) {
  try {
    return fromBase64(v).length;
  } catch {
    return -1;
  }
}

export class ConfigError extends Error {}

export function parseEnv(raw: Record<string, unknown>): AppEnv {
  const input = Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v === "string" && v !== ""));
  const result = EnvSchema.safeParse(input);
  const unset = placeholders(input);
  if (!result.success || unset.length) {
    const named = new Set(unset.map((line) => line.split(":")[0]));
    const lines = (result.success ? [] : result.error.issues)
      .map((i) => `${i.path.join(".")}: ${i.message}`)
      .filter((line) => !named.has(line.split(":")[0]));
    throw new ConfigError(`Invalid configuration (see README, "Configuration"):\n${[...unset, ...lines].join("\n")}`);
  }
  const problems = [...shareRules(result.data), ...productionRules(result.data)];
  if (problems.length) throw new ConfigError(`Invalid configuration (see README, "Configuration"):\n${problems.join("\n")}`);
  return result.data;
}
