// Zoho-side test helpers: the sandbox's control API, a Zoho connection made the quick way, customers
// with their open sync job, and delivering queue messages to the real Worker's queue() handler.
import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { eq } from "drizzle-orm";
import worker from "../../../workers/app";
import type { WorkerEnv } from "~/context.server";
import { customers, zohoSyncEvents, zohoSyncQueue } from "~/db/schema";
import { parseEnv } from "~/env.server";
import { saveConnection } from "~/zoho/tokens.server";
import { SandboxControl } from "../../../zoho-sandbox/control-client";
import { bindings } from "./env";
import { testDb } from "./factories";

export const sandbox = () => new SandboxControl(bindings.TEST_SANDBOX_URL);

/** A connected shop: tokens issued by the sandbox (the consent screen is covered by its own test). */
export async function connectZoho(env: WorkerEnv, scope?: string) {
  const grant = await sandbox().issueTokens(scope ? { scope } : {});
  const { db, close } = testDb(env.DATABASE_URL as string);
  try {
    await saveConnection(
      db,
      parseEnv(env),
      { accessToken: grant.access_token, refreshToken: grant.refresh_token, expiresIn: grant.expires_in, apiDomain: grant.api_domain, scopes: scope ?? "ZohoBooks.fullaccess.all" },
      { accountsServer: bindings.TEST_SANDBOX_URL, dataCentre: "local", organizationId: "10234695", connectedBy: null },
    );
  } finally {
    await close();
  }
  return grant;
}

let n = 0;
export async function createCustomerWithJob(
  databaseUrl: string,
  opts: { returning?: boolean; firstName?: string; lastName?: string; email?: string; phone?: string } = {},
) {
  const { db, close } = testDb(databaseUrl);
  try {
    n++;
    const [customer] = await db
      .insert(customers)
      .values({
        firstName: opts.firstName ?? "Test",
        lastName: opts.lastName ?? `Customer${n}${crypto.randomUUID().slice(0, 4)}`,
        email: opts.email ?? `customer${n}-${crypto.randomUUID().slice(0, 8)}@shoppers.example`,
        phone: opts.phone ?? "+639171234567",
        deliveryMethod: "pickup",
        isReturningCustomer: opts.returning ?? false,
      })
      .returning();
    const [job] = await db
      .insert(zohoSyncQueue)
      .values({ customerId: customer.id, action: opts.returning ? "match" : "create" })
      .returning();
    return { customer, job };
  } finally {
    await close();
  }
}

/** Delivers messages to the Worker's queue() exactly as Cloudflare would; returns acks and retries. */
export async function deliver(env: WorkerEnv, jobIds: string[]) {
  const batch = createMessageBatch(
    "cangoods-zoho-sync",
    jobIds.map((jobId, i) => ({ id: `msg-${i}-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body: { jobId } })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  await waitOnExecutionContext(ctx);
  return getQueueResult(batch, ctx);
}

export async function loadCustomer(databaseUrl: string, id: string) {
  const { db, close } = testDb(databaseUrl);
  try {
    const [customer] = await db.select().from(customers).where(eq(customers.id, id));
    const jobs = await db.select().from(zohoSyncQueue).where(eq(zohoSyncQueue.customerId, id));
    const events = await db.select().from(zohoSyncEvents).where(eq(zohoSyncEvents.customerId, id)).orderBy(zohoSyncEvents.id);
    return { customer, jobs, events };
  } finally {
    await close();
  }
}

/** Runs SQL against the test database (time travel for leases and schedules). */
export async function sql(databaseUrl: string, text: string, params: unknown[] = []) {
  const { db, close } = testDb(databaseUrl);
  try {
    const client = (db as unknown as { $client: { query(t: string, p: unknown[]): Promise<{ rows: unknown[] }> } }).$client;
    return (await client.query(text, params)).rows;
  } finally {
    await close();
  }
}
