// Failure drills: the database gone during registration, the queue refusing sends. (A refresh token
// revoked mid-run is drilled in sync.test.ts: "a revoked connection pauses sync…".)
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "@workers/app";
import { browser } from "./support/browser";
import { freshDatabase, sql } from "./support/database";
import { deliver } from "./support/queue-delivery";
import { testEnv } from "./support/worker-env";
import { linkFromMail, press } from "./support/mail-links";
import { connectZoho, sandbox } from "./support/zoho-sandbox";

let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await freshDatabase();
  await sandbox().reset();
});

async function stepsOneToThree(b: ReturnType<typeof browser>, email: string) {
  await b.post("/register", { step: "1", intent: "next", firstName: "Drill", lastName: "Person", email, phone: "09171234567" });
  await b.post("/register", { step: "2", intent: "next", customerType: "new" });
  await b.post("/register", { step: "3", intent: "next", deliveryMethod: "pickup" });
}

describe("failure drills", () => {
  it("database unavailable at submit: a friendly error page with a request id, and nothing partial", async () => {
    const good = testEnv(databaseUrl);
    const b = browser(good.env);
    await stepsOneToThree(b, "drill.db@example.com");
    // Same browser, but the database now refuses connections.
    const down = browser(testEnv(databaseUrl.replace(/:\d+\//, ":1/")).env);
    for (const [k, v] of b.jar) down.jar.set(k, v);
    const res = await down.post("/register", { step: "4", intent: "next", password: "a long password", confirmPassword: "a long password" });
    expect(res.status).toBe(500);
    const html = await res.text();
    expect(html).toContain("Something went wrong on our side");
    expect(html).toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/); // the request id to quote
    expect(html).not.toMatch(/ECONNREFUSED|connect|\bat \w+ \(/); // no internals
    expect(await sql(databaseUrl, "select 1 from customers where email = 'drill.db@example.com'")).toHaveLength(0);
    expect(good.queue.sent).toHaveLength(0);
  });

  it("queue send failing at verification: the email is confirmed and the hourly sweep gets the customer synced", async () => {
    const { env, queue } = testEnv(databaseUrl);
    await connectZoho(env);
    const b = browser(env);
    await stepsOneToThree(b, "drill.queue@example.com");
    const done = await b.post("/register", { step: "4", intent: "next", password: "a long password", confirmPassword: "a long password" });
    expect(done.headers.get("Location")).toBe("/register/sent");
    const link = await linkFromMail("drill.queue@example.com", /Confirm your email/, "/verify-email");
    queue.failNext(1);
    expect((await press(b, link, "confirm")).headers.get("Location")).toBe("/account?confirmed=1");
    expect(queue.sent).toHaveLength(0);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: new Date(), cron: "0 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(queue.sent).toHaveLength(1);
    await deliver(env, [queue.sent[0].jobId]);
    const [row] = (await sql(databaseUrl, "select zoho_sync_status from customers where email = 'drill.queue@example.com'")) as Array<{ zoho_sync_status: string }>;
    expect(row.zoho_sync_status).toBe("synced");
  });

  it("a misconfigured Worker answers with a clear 500 and the queue batch is retried later, not dropped", async () => {
    const { env } = testEnv(databaseUrl, { SESSION_SECRET: "short" });
    const res = await browser(env).get("/");
    expect(res.status).toBe(500);
    expect(await res.text()).toContain("misconfigured");
    // The queue batch: every message handed back to Cloudflare for a later delivery, none acknowledged.
    const result = await deliver(env, ["00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"]);
    expect(result.retryBatch.retry).toBe(true);
    expect(result.ackAll).toBe(false);
    expect(result.explicitAcks).toEqual([]);
  });
});
