// Admin alerts by email (and the webhook beside it): the failure digest at most once per interval,
// and a stalled sync announced once when it stalls and once when it recovers. Mail goes over SMTP to
// the mail catcher; webhook posts land in the sandbox's /__hooks recorder.
import { describe, expect, it } from "vitest";
import { mailsTo } from "@tools/local-stack/mail-inbox";
import { sendFailureDigest } from "~/alerts/alerts.server";
import { createAppServices } from "~/context.server";
import { sql } from "./support/database";
import { createCustomerWithJob } from "./support/factories";
import { bindings, testEnv } from "./support/worker-env";
import { runCron } from "./support/queue-delivery";
import { connectZoho, sandbox } from "./support/zoho-sandbox";
import { freshWorldPerTest } from "./support/fresh-world";

let databaseUrl: string;
freshWorldPerTest((url) => (databaseUrl = url));

const inbox = () => bindings.TEST_MAIL_INBOX_URL;

function alertEnv() {
  const ops = `ops-${crypto.randomUUID().slice(0, 8)}@shop.test`;
  const { env, queue } = testEnv(databaseUrl, {
    ADMIN_ALERT_EMAILS: ops,
    ALERT_DIGEST_MINUTES: "60",
    FAILURE_WEBHOOK_URL: `${bindings.TEST_SANDBOX_URL}/__hooks/slack`,
  });
  return { env, queue, ops };
}

async function digest(env: ReturnType<typeof testEnv>["env"]) {
  const app = createAppServices(env);
  try {
    return await sendFailureDigest(app);
  } finally {
    await app.close(); // delivers the queued mail, as the end of a request or batch does
  }
}

async function fail(lastName: string) {
  const { customer } = await createCustomerWithJob(databaseUrl, { lastName });
  await sql(databaseUrl, "update customers set zoho_sync_status = 'failed', zoho_sync_error = 'No matching contact', zoho_last_sync_at = now() where id = $1", [customer.id]);
  return customer;
}

describe("failure digest", () => {
  it("lists the failed customers in one mail, then waits for the interval before the next digest", async () => {
    const { env, ops } = alertEnv();
    await fail("Aquino");
    await fail("Bautista");
    expect(await digest(env)).toBe(2);
    const [first] = await mailsTo(inbox(), ops, /Zoho sync: 2 customers failed/);
    expect(first.text).toContain("Test Aquino");
    expect(first.text).toContain("Test Bautista");
    expect(first.text).toContain("http://portal.test/admin/customers/");
    await fail("Castillo");
    expect(await digest(env)).toBe(0);
    expect(await mailsTo(inbox(), ops, /Zoho sync/)).toHaveLength(1);
    // An hour later the next digest lists only what failed since the last one.
    await sql(databaseUrl, "update admin_alerts set last_sent_at = now() - interval '61 minutes' where kind = 'failure_digest'");
    await sql(databaseUrl, "update customers set zoho_last_sync_at = now() - interval '62 minutes' where last_name in ('Aquino', 'Bautista')");
    expect(await digest(env)).toBe(1);
    const second = (await mailsTo(inbox(), ops, /Zoho sync: 1 customer failed/))[0];
    expect(second.text).toContain("Test Castillo");
    expect(second.text).not.toContain("Aquino");
  });
});

describe("admin digest: review cases and possible duplicates", () => {
  it("one mail lists failures, customers waiting for review and possible duplicates, each with its own link", async () => {
    const { env, ops } = alertEnv();
    await fail("Aquino");
    const { customer: review } = await createCustomerWithJob(databaseUrl, { lastName: "Bautista" });
    await sql(databaseUrl, "update customers set zoho_sync_status = 'skipped', zoho_review_reason = 'several_matches', zoho_sync_error = 'Several Zoho contacts match', zoho_last_sync_at = now() where id = $1", [review.id]);
    const { customer: dup } = await createCustomerWithJob(databaseUrl, { lastName: "Castillo" });
    await sql(databaseUrl, "update customers set zoho_sync_status = 'synced', zoho_review_reason = 'possible_duplicate', zoho_sync_error = 'Possible duplicate: 2 Zoho contacts use this email', zoho_last_sync_at = now() where id = $1", [dup.id]);
    const { customer: fine } = await createCustomerWithJob(databaseUrl, { lastName: "Dizon" });
    await sql(databaseUrl, "update customers set zoho_sync_status = 'synced', zoho_last_sync_at = now() where id = $1", [fine.id]);
    expect(await digest(env)).toBe(3);
    const [mail] = await mailsTo(inbox(), ops, /Zoho sync: 1 customer failed, 1 customer waiting for review, 1 possible duplicate contact/);
    expect(mail.text).toContain("Test Aquino");
    expect(mail.text).toContain(`Test Bautista <${review.email}>: Several Zoho contacts match (http://portal.test/admin/customers/${review.id})`);
    expect(mail.text).toContain("http://portal.test/admin/customers?status=skipped");
    expect(mail.text).toContain(`Test Castillo <${dup.email}>: Possible duplicate`);
    expect(mail.text).toContain("http://portal.test/admin/customers?reason=possible_duplicate");
    expect(mail.text).not.toContain("Dizon");
  });
});

describe("stalled sync", () => {
  it("'reconnect needed' is announced once by mail and webhook, and its recovery once", async () => {
    const { env, ops } = alertEnv();
    await connectZoho(env);
    await sql(databaseUrl, "update zoho_tokens set status = 'reconnect_needed', last_error = 'invalid_code'");
    await runCron(env);
    await runCron(env);
    const stalled = await mailsTo(inbox(), ops, /Action needed: Zoho Books must be reconnected/);
    expect(stalled).toHaveLength(1);
    expect(stalled[0].text).toContain("invalid_code");
    expect((await sandbox().webhooks()).filter((h) => h.body.text?.includes("must be reconnected"))).toHaveLength(1);
    await sql(databaseUrl, "update zoho_tokens set status = 'connected'");
    await runCron(env);
    await runCron(env);
    expect(await mailsTo(inbox(), ops, /Resolved: Zoho Books must be reconnected/)).toHaveLength(1);
    expect(await mailsTo(inbox(), ops, /Action needed/)).toHaveLength(1);
  });

  it("a used-up daily budget with customers waiting is announced once, and again only after it recovered", async () => {
    const { env, ops } = alertEnv();
    await connectZoho(env);
    await createCustomerWithJob(databaseUrl);
    await sql(databaseUrl, "insert into zoho_api_ledger (day, total, sync) values ((now() at time zone 'utc')::date, 500, 450)");
    await runCron(env);
    await runCron(env);
    expect(await mailsTo(inbox(), ops, /Action needed: Today's Zoho API budget is used up/)).toHaveLength(1);
    await sql(databaseUrl, "delete from zoho_api_ledger");
    await runCron(env);
    expect(await mailsTo(inbox(), ops, /Resolved: Today's Zoho API budget/)).toHaveLength(1);
  });
});
