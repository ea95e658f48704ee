// The seed's sync endpoints: the on-demand sweep and an admin's retry/reset, plus connecting Zoho
// through the real consent screen.
import { describe, expect, it } from "vitest";
import { browser } from "./support/browser";
import { signedIn as signIn } from "./support/sign-in";
import { sql } from "./support/database";
import { createCustomerWithJob, loadCustomer } from "./support/factories";
import { deliver } from "./support/queue-delivery";
import { testEnv } from "./support/worker-env";
import { connectZoho, sandbox } from "./support/zoho-sandbox";
import { freshWorldPerTest } from "./support/fresh-world";

let databaseUrl: string;
freshWorldPerTest((url) => (databaseUrl = url));

const signedIn = (env: ReturnType<typeof testEnv>["env"], role: "admin" | "customer") => signIn(env, databaseUrl, role);

describe("GET /api/cron/zoho-sync", () => {
  it("refuses a missing or wrong secret and runs a sweep with the right one", async () => {
    const { env, queue } = testEnv(databaseUrl);
    await connectZoho(env);
    const { job } = await createCustomerWithJob(databaseUrl);
    const b = browser(env);
    expect((await b.request("/api/cron/zoho-sync")).status).toBe(401);
    expect((await b.request("/api/cron/zoho-sync", { headers: { Authorization: "Bearer wrong-secret-of-some-length" } })).status).toBe(401);
    const res = await b.request("/api/cron/zoho-sync", { headers: { Authorization: `Bearer ${env.CRON_SECRET}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ jobsEnqueued: 1, error: null });
    expect(queue.sent).toEqual([{ jobId: job.id }]);
  });
});

describe("/api/admin/customers/:id/zoho-sync", () => {
  it("refuses anonymous users (401) and customers (403)", async () => {
    const { env } = testEnv(databaseUrl);
    const { customer } = await createCustomerWithJob(databaseUrl);
    expect((await browser(env).api("POST", `/api/admin/customers/${customer.id}/zoho-sync`)).status).toBe(401);
    const asCustomer = await signedIn(env, "customer");
    expect((await asCustomer.api("POST", `/api/admin/customers/${customer.id}/zoho-sync`)).status).toBe(403);
    expect((await asCustomer.api("DELETE", `/api/admin/customers/${customer.id}/zoho-sync`)).status).toBe(403);
  });

  it("refuses an admin request without the CSRF token", async () => {
    const { env } = testEnv(databaseUrl);
    const { customer } = await createCustomerWithJob(databaseUrl);
    const admin = await signedIn(env, "admin");
    expect((await admin.api("POST", `/api/admin/customers/${customer.id}/zoho-sync`, undefined, { csrf: null })).status).toBe(403);
  });

  it("retrying a failed customer queues it now with priority and attempts reset, and it syncs", async () => {
    const { env, queue } = testEnv(databaseUrl);
    await connectZoho(env);
    const { customer } = await createCustomerWithJob(databaseUrl, { returning: true, verified: true, firstName: "Nobody", lastName: "Knownhere" });
    await deliver(env, [(await loadCustomer(databaseUrl, customer.id)).jobs[0].id]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer.zohoSyncStatus).toBe("failed");
    // The admin adds the contact in Zoho, then retries.
    await sandbox().addContact({ contact_name: "Nobody Knownhere", email: customer.email });

    const admin = await signedIn(env, "admin");
    const res = await admin.api("POST", `/api/admin/customers/${customer.id}/zoho-sync`);
    expect(res.status).toBe(202);
    const body = (await res.json()) as { status: string; attempts: number; jobId: string; queued: boolean };
    expect(body).toMatchObject({ status: "pending", attempts: 0, queued: true });
    expect(queue.sent).toEqual([{ jobId: body.jobId }]);
    const { jobs, events } = await loadCustomer(databaseUrl, customer.id);
    expect(jobs.find((j) => j.id === body.jobId)).toMatchObject({ priority: 10, attempts: 0 });
    expect(events.at(-1)).toMatchObject({ action: "admin_retry" });
    expect(events.at(-1)?.actorUserId).not.toBeNull();

    await deliver(env, [body.jobId]);
    expect((await loadCustomer(databaseUrl, customer.id)).customer).toMatchObject({ zohoSyncStatus: "synced", zohoMatchType: "email" });
  });

  it("answers 409 for a linked customer, 404 for an unknown id and 400 for a malformed one", async () => {
    const { env } = testEnv(databaseUrl);
    await connectZoho(env);
    const { customer, job } = await createCustomerWithJob(databaseUrl);
    await deliver(env, [job.id]);
    const admin = await signedIn(env, "admin");
    const linked = await admin.api("POST", `/api/admin/customers/${customer.id}/zoho-sync`);
    expect(linked.status).toBe(409);
    expect(((await linked.json()) as { error: string }).error).toMatch(/unlink/i);
    expect((await admin.api("POST", `/api/admin/customers/${crypto.randomUUID()}/zoho-sync`)).status).toBe(404);
    expect((await admin.api("POST", `/api/admin/customers/not-a-uuid/zoho-sync`)).status).toBe(400);
  });

  it("reset puts a skipped customer back to pending with errors cleared, without calling Zoho", async () => {
    const { env, queue } = testEnv(databaseUrl);
    await connectZoho(env);
    const { customer, job } = await createCustomerWithJob(databaseUrl, { returning: true, email: "shared@example.com" });
    await deliver(env, [job.id]);
    await sandbox().clearCalls();
    const admin = await signedIn(env, "admin");
    const res = await admin.api("DELETE", `/api/admin/customers/${customer.id}/zoho-sync`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "pending", error: null, attempts: 0 });
    expect(await sandbox().calls()).toHaveLength(0);
    expect(queue.sent).toHaveLength(0);
    const { customer: after, jobs } = await loadCustomer(databaseUrl, customer.id);
    expect(after.zohoSyncCandidates).toBeNull();
    expect(jobs.filter((j) => j.processedAt === null)).toHaveLength(1);
  });
});

describe("connecting Zoho Books (OAuth consent)", () => {
  it("an admin connects through the consent screen; tokens are stored encrypted", async () => {
    const { env } = testEnv(databaseUrl);
    const admin = await signedIn(env, "admin");
    const start = await admin.post("/admin/zoho", { intent: "connect" });
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get("Location")!);
    expect(authorize.searchParams.get("access_type")).toBe("offline");
    expect(authorize.searchParams.get("prompt")).toBe("consent");
    expect(authorize.searchParams.get("scope")).toContain("ZohoBooks.contacts.CREATE");

    // The person accepts on Zoho's consent page (the sandbox's form posts the same fields back).
    const consent = await fetch(authorize, { redirect: "manual" });
    expect(consent.status).toBe(200);
    const form = new URLSearchParams(authorize.search);
    form.set("decision", "accept");
    const accepted = await fetch(new URL("/oauth/v2/auth", authorize), { method: "POST", body: form, redirect: "manual" });
    expect(accepted.status).toBe(302);
    const back = new URL(accepted.headers.get("Location")!);
    expect(back.pathname).toBe("/admin/zoho/callback");

    const done = await admin.get(back.pathname + back.search);
    expect(done.status).toBe(302);
    const page = await admin.get("/admin/zoho");
    expect(await page.text()).toContain("Zoho Books connected");
    const [row] = (await sql(databaseUrl, "select status, refresh_token_enc, access_token_enc from zoho_tokens")) as Array<Record<string, string>>;
    expect(row.status).toBe("connected");
    expect(row.refresh_token_enc).toMatch(/^v1\./);
    expect(row.access_token_enc).toMatch(/^v1\./);
  });

  it("a callback with a forged state is refused and nothing is stored", async () => {
    const { env } = testEnv(databaseUrl);
    const admin = await signedIn(env, "admin");
    await admin.post("/admin/zoho", { intent: "connect" });
    const res = await admin.get("/admin/zoho/callback?code=abc&state=forged");
    expect(res.status).toBe(302);
    expect(await (await admin.get("/admin/zoho")).text()).toContain("could not be verified");
    expect(await sql(databaseUrl, "select 1 from zoho_tokens")).toHaveLength(0);
  });

  it("declining on the consent screen changes nothing and says so", async () => {
    const { env } = testEnv(databaseUrl);
    const admin = await signedIn(env, "admin");
    const start = await admin.post("/admin/zoho", { intent: "connect" });
    const state = new URL(start.headers.get("Location")!).searchParams.get("state");
    await admin.get(`/admin/zoho/callback?error=access_denied&state=${state}`);
    expect(await (await admin.get("/admin/zoho")).text()).toContain("Zoho access was not granted");
  });

  it("the Zoho page refuses customers and sends anonymous visitors to sign in", async () => {
    const { env } = testEnv(databaseUrl);
    expect((await browser(env).get("/admin/zoho")).status).toBe(302);
    expect((await (await signedIn(env, "customer")).get("/admin/zoho")).status).toBe(403);
  });
});
