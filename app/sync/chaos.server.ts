// Chaos hooks for `npm run chaos` (never in production: env.server.ts refuses CHAOS_* there).
// A "crash" abandons a job right after Zoho accepted a write, before the database records it; a
// duplicate is a second queue message for the same job, as at-least-once delivery allows; a poison
// customer's job kills the worker right after every claim (it must stop after MAX_ATTEMPTS).
import { eq } from "drizzle-orm";
import type { AppServices, SyncMessage } from "~/context.server";
import { customers } from "~/db/schema";
import type { BatchHooks } from "./consumer.server";
import { SimulatedCrash } from "./run/work.server";

export async function chaosHooks(app: AppServices, batch: MessageBatch<unknown>): Promise<BatchHooks> {
  const { CHAOS_CRASH_RATE: crash, CHAOS_DUPLICATE_RATE: duplicate, CHAOS_POISON_EMAIL: poison, APP_ENV } = app.env;
  if (APP_ENV === "production") return {};
  if (duplicate) {
    for (const message of batch.messages)
      if (Math.random() < duplicate) await app.queue.send(message.body as SyncMessage).catch(() => {});
  }
  const afterClaim: BatchHooks["afterClaim"] = poison
    ? async (job) => {
        const [c] = await app.db.select({ email: customers.email }).from(customers).where(eq(customers.id, job.customerId));
        if (c?.email === poison) throw new SimulatedCrash("chaos: this customer's job kills the worker every time");
      }
    : undefined;
  if (!crash) return { afterClaim };
  return {
    afterClaim,
    afterZohoWrite: () => {
      if (Math.random() < crash) throw new SimulatedCrash("chaos: worker died between the Zoho write and the database write");
    },
  };
}
