import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, isExampleSender, isPlaceholder, parseEnv } from "./env.server";

const base = {
  APP_ENV: "production",
  DATABASE_URL: "postgres://u:p@db.example/app",
  SESSION_SECRET: "x".repeat(40),
  TOKEN_ENCRYPTION_KEY: btoa("k".repeat(32)),
  CRON_SECRET: "c".repeat(20),
  ZOHO_CLIENT_ID: "id",
  ZOHO_CLIENT_SECRET: "secret",
  ZOHO_ACCOUNTS_URL: "https://accounts.zoho.com",
  ZOHO_ORGANIZATION_ID: "123",
  APP_URL: "https://portal.example",
  SMTP_HOST: "smtp.relay.example",
  MAIL_FROM: "Cangoods <no-reply@cangoods.ph>",
};

describe("configuration", () => {
  it("applies the documented defaults", () => {
    expect(parseEnv(base)).toMatchObject({ ZOHO_DAILY_CALL_LIMIT: 500, ZOHO_ORDERS_DAILY_SHARE: 30, ZOHO_ADMIN_DAILY_SHARE: 20, ZOHO_ORDERS_CALLS_PER_CUSTOMER: 10, ZOHO_CALLS_PER_MINUTE: 80, SYNC_LEASE_SECONDS: 120 });
  });
  it("admin sessions: at most a day (a customer's lasts 14), 30 idle minutes, the factor again after 5 minutes for the dangerous actions", () => {
    expect(parseEnv(base)).toMatchObject({ ADMIN_SESSION_HOURS: 8, ADMIN_IDLE_MINUTES: 30, ADMIN_REAUTH_MINUTES: 5 });
    expect(() => parseEnv({ ...base, ADMIN_SESSION_HOURS: "25" })).toThrow(/ADMIN_SESSION_HOURS/);
    expect(() => parseEnv({ ...base, ADMIN_IDLE_MINUTES: "0" })).toThrow(/ADMIN_IDLE_MINUTES/);
    expect(parseEnv({ ...base, ADMIN_REAUTH_MINUTES: "0.5" }).ADMIN_REAUTH_MINUTES).toBe(0.5);
    expect(() => parseEnv({ ...base, ADMIN_REAUTH_MINUTES: "-1" })).toThrow(/ADMIN_REAUTH_MINUTES/);
  });
  it("names every missing or invalid variable", () => {
    const { SESSION_SECRET: _s, ...rest } = base;
    expect(() => parseEnv({ ...rest, TOKEN_ENCRYPTION_KEY: "short" })).toThrowError(/SESSION_SECRET[\s\S]*TOKEN_ENCRYPTION_KEY: must be base64 of exactly 32 bytes/);
  });
  it("refuses chaos settings, a local DB proxy and pacing above Zoho's limit in production", () => {
    expect(() => parseEnv({ ...base, CHAOS_CRASH_RATE: "0.1" })).toThrow(ConfigError);
    expect(() => parseEnv({ ...base, DATABASE_WS_PROXY: "127.0.0.1:1/v1" })).toThrow(/local development only/);
    expect(() => parseEnv({ ...base, ZOHO_CALLS_PER_MINUTE: "500" })).toThrow(/at most 100/);
    expect(parseEnv({ ...base, APP_ENV: "test", ZOHO_CALLS_PER_MINUTE: "500", CHAOS_CRASH_RATE: "0.1" }).CHAOS_CRASH_RATE).toBe(0.1);
  });
  it("refuses budget shares that leave sync nothing, and the retired invoice reserve", () => {
    expect(() => parseEnv({ ...base, ZOHO_DAILY_CALL_LIMIT: "100", ZOHO_ORDERS_DAILY_SHARE: "60", ZOHO_ADMIN_DAILY_SHARE: "40" })).toThrow(/must leave sync part/);
    expect(() => parseEnv({ ...base, ZOHO_ORDERS_DAILY_SHARE: "-1" })).toThrow(/ZOHO_ORDERS_DAILY_SHARE/);
    expect(() => parseEnv({ ...base, ZOHO_INVOICE_RESERVE: "50" })).toThrow(/ZOHO_INVOICE_RESERVE: replaced by ZOHO_ORDERS_DAILY_SHARE/);
  });

  it("requires an SMTP relay in production, with both credentials or none", () => {
    const { SMTP_HOST: _h, ...noSmtp } = base;
    expect(() => parseEnv(noSmtp)).toThrow(/SMTP_HOST: required in production/);
    expect(() => parseEnv({ ...base, SMTP_USERNAME: "apikey" })).toThrow(/set both or neither/);
    expect(() => parseEnv({ ...base, SMTP_SECURITY: "none" })).toThrow(/local mail catcher only/);
    expect(() => parseEnv({ ...base, ADMIN_ALERT_EMAILS: "ops@shop.example, not-an-address" })).toThrow(/ADMIN_ALERT_EMAILS/);
    expect(parseEnv({ ...base, SMTP_USERNAME: "apikey", SMTP_PASSWORD: "pw" })).toMatchObject({ SMTP_PORT: 587, SMTP_SECURITY: "starttls" });
  });

  it("refuses the example sender in production (the default MAIL_FROM on cangoods.example, or any reserved example domain), naming SPF/DKIM/DMARC", () => {
    const { MAIL_FROM: _f, ...defaultSender } = base;
    expect(() => parseEnv(defaultSender)).toThrowError(/MAIL_FROM: still the example sender "Cangoods <no-reply@cangoods\.example>"[\s\S]*SPF, DKIM and DMARC/);
    for (const from of ["shop@example.com", "Shop <orders@mail.example.org>", "x@shop.test", "x@portal.localhost", "x@cangoods.local"])
      expect(() => parseEnv({ ...base, MAIL_FROM: from }), from).toThrow(/MAIL_FROM: still the example sender/);
    for (const from of ["Cangoods <no-reply@cangoods.ph>", "orders@example-shop.com", "hello@myexample.com"]) expect(parseEnv({ ...base, MAIL_FROM: from }).MAIL_FROM).toBe(from);
    // Development and tests send to the local mail catcher: the example sender is fine there.
    expect(parseEnv({ ...defaultSender, APP_ENV: "development" }).MAIL_FROM).toBe("Cangoods <no-reply@cangoods.example>");
    expect(isExampleSender("Cangoods <no-reply@cangoods.example>")).toBe(true);
  });

  it("the budget day is UTC unless ZOHO_DAY_TIMEZONE names a known time zone; concurrent Zoho calls at most Zoho's 10 in production", () => {
    expect(parseEnv(base)).toMatchObject({ ZOHO_DAY_TIMEZONE: "UTC", ZOHO_MAX_CONCURRENT_CALLS: 5 });
    expect(parseEnv({ ...base, ZOHO_DAY_TIMEZONE: "Asia/Manila" }).ZOHO_DAY_TIMEZONE).toBe("Asia/Manila");
    expect(() => parseEnv({ ...base, ZOHO_DAY_TIMEZONE: "Mars/Olympus" })).toThrow(/ZOHO_DAY_TIMEZONE: must be an IANA time zone/);
    expect(() => parseEnv({ ...base, ZOHO_MAX_CONCURRENT_CALLS: "11" })).toThrow(/ZOHO_MAX_CONCURRENT_CALLS: must be at most 10/);
    expect(parseEnv({ ...base, APP_ENV: "test", ZOHO_MAX_CONCURRENT_CALLS: "40" }).ZOHO_MAX_CONCURRENT_CALLS).toBe(40);
  });

  it("wrangler.toml caps the queue consumer below the app's concurrent Zoho calls, leaving room for customers and admins (decision 029)", () => {
    const toml = readFileSync(new URL("../wrangler.toml", import.meta.url), "utf8");
    const consumer = toml.split("[[queues.consumers]]")[1]?.split(/\n\[/)[0] ?? "";
    const maxConcurrency = Number(consumer.match(/^max_concurrency\s*=\s*(\d+)/m)?.[1]);
    const appLimit = Number(toml.match(/^ZOHO_MAX_CONCURRENT_CALLS\s*=\s*"(\d+)"/m)?.[1]);
    expect(maxConcurrency).toBeGreaterThan(0);
    expect(appLimit).toBeLessThanOrEqual(10);
    expect(maxConcurrency).toBeLessThan(appLimit);
    expect(parseEnv({ ...base, ZOHO_MAX_CONCURRENT_CALLS: String(appLimit) }).ZOHO_MAX_CONCURRENT_CALLS).toBe(appLimit);
  });

  it("refuses a placeholder left in (wrangler.toml ships ZOHO_ORGANIZATION_ID = \"set-me\") and names the variable", () => {
    expect(() => parseEnv({ ...base, ZOHO_ORGANIZATION_ID: "set-me" })).toThrowError(/ZOHO_ORGANIZATION_ID: still the placeholder "set-me"/);
    expect(() => parseEnv({ ...base, APP_ENV: "development", ZOHO_CLIENT_SECRET: "<your client secret>" })).toThrowError(/ZOHO_CLIENT_SECRET: still the placeholder/);
    // Each variable is named once, even when the placeholder also fails the variable's own rule.
    const message = (() => {
      try {
        parseEnv({ ...base, APP_URL: "changeme" });
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message?.match(/APP_URL/g)).toHaveLength(1);
  });

  it.each([
    ["set-me", true], ["SET_ME", true], ["changeme", true], ["change-me", true], ["replace me", true], ["TODO", true],
    ["placeholder", true], ["<organisation id>", true], ["${ZOHO_ORG}", true], ["your-org-id", true],
    ["10234695", false], ["https://accounts.zoho.eu", false], ["cf_portal_customer_id", false], ["setmeup", false],
  ])("%s is a placeholder: %s", (value, expected) => {
    expect(isPlaceholder(value)).toBe(expected);
  });
});
