// A relay's permanent refusal of an address (SMTP 5xx to RCPT TO) through the real Worker: the mail is never
// retried, the customer is told on the account page, the admin dashboard counts it as given up; a temporary
// refusal (4xx) is retried as before. The relay is tests/workers/refusing-relay.ts (550 for undeliverable.test).
import { describe, expect, it } from "vitest";
import { openDb } from "~/db/client.server";
import { undeliveredMail } from "~/email/outbox.server";
import { browser } from "./support/browser";
import { sql } from "./support/database";
import { registerThroughSteps, REGISTRANT_PASSWORD, signInAs } from "./support/mail-links";
import { runCron } from "./support/queue-delivery";
import { bindings, testEnv } from "./support/worker-env";
import { freshWorldPerTest } from "./support/fresh-world";

let databaseUrl: string;
freshWorldPerTest((url) => (databaseUrl = url));

const relayEnv = () => testEnv(databaseUrl, { SMTP_PORT: bindings.TEST_REFUSING_SMTP_PORT }).env;
type MailRow = { attempts: number; sent_at: string | null; refused_at: string | null; last_error: string | null };
const mailsTo = async (address: string) => (await sql(databaseUrl, "select attempts, sent_at, refused_at, last_error from email_outbox where to_address = $1", [address])) as MailRow[];
/** The hour passes: every unsent mail is due for its retry, and the hourly maintenance runs. */
async function anHourLater(env: ReturnType<typeof relayEnv>) {
  await sql(databaseUrl, "update email_outbox set next_attempt_at = now() where sent_at is null");
  await runCron(env);
}

describe("an address the relay refuses", () => {
  it("a permanent refusal (550 5.1.1) is not retried, and the account page tells the customer in plain words", async () => {
    const env = relayEnv();
    const email = `nobody.${crypto.randomUUID().slice(0, 8)}@undeliverable.test`;
    const b = browser(env);
    expect((await registerThroughSteps(b, { email })).status).toBe(302);
    const [first] = await mailsTo(email);
    expect(first).toMatchObject({ attempts: 1, sent_at: null });
    expect(first.refused_at).not.toBeNull();
    expect(first.last_error).toMatch(/refused this address: 550 5\.1\.1/);

    await anHourLater(env);
    expect((await mailsTo(email))[0]).toMatchObject({ attempts: 1, sent_at: null }); // stopped retrying
    // The dashboard counts it as given up, not as still retrying.
    const handle = openDb(databaseUrl, bindings.TEST_DATABASE_WS_PROXY);
    expect(await undeliveredMail(handle.db)).toEqual({ retrying: 0, givenUp: 1 });
    await handle.close();

    await signInAs(b, email, REGISTRANT_PASSWORD);
    const page = await (await b.get("/account")).text();
    expect(page).toContain(`We cannot deliver mail to ${email}`);
    expect(page).toMatch(/The receiving mail server refused this address \(&quot;550 5\.1\.1 .*User unknown/);
    expect(page).toContain('href="/account/email"');
  });

  it("a temporary refusal (450, greylisting) keeps being retried and is not shown as undeliverable", async () => {
    const env = relayEnv();
    const email = `later.${crypto.randomUUID().slice(0, 8)}@greylisted.test`;
    const b = browser(env);
    expect((await registerThroughSteps(b, { email })).status).toBe(302);
    expect((await mailsTo(email))[0]).toMatchObject({ attempts: 1, refused_at: null, sent_at: null });
    await anHourLater(env);
    expect((await mailsTo(email))[0]).toMatchObject({ attempts: 2, refused_at: null });
    await signInAs(b, email, REGISTRANT_PASSWORD);
    expect(await (await b.get("/account")).text()).not.toContain("We cannot deliver mail");
  });

  it("the same relay delivers to every other address, and a delivered mail clears an old refusal of that address", async () => {
    const env = relayEnv();
    const email = `someone.${crypto.randomUUID().slice(0, 8)}@shoppers.example`;
    const b = browser(env);
    expect((await registerThroughSteps(b, { email })).status).toBe(302);
    const [row] = await mailsTo(email);
    expect(row.sent_at).not.toBeNull();
    expect(row.refused_at).toBeNull();
    // An earlier refusal of the same address, before a mail to it went through, no longer counts.
    await sql(databaseUrl, "insert into email_outbox (kind, user_id, to_address, attempts, last_error, refused_at) select 'verify_email', user_id, to_address, 1, 'old', now() - interval '1 hour' from email_outbox where to_address = $1", [email]);
    await sql(databaseUrl, "update email_outbox set sent_at = now() where to_address = $1 and refused_at is null", [email]);
    await signInAs(b, email, REGISTRANT_PASSWORD);
    expect(await (await b.get("/account")).text()).not.toContain("We cannot deliver mail");
  });
});
