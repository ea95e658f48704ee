// Chaos hooks for `npm run chaos` (never in production: env.server.ts refuses CHAOS_* there).
// A "crash" abandons a job right after Zoho accepted a write, before the database records it; a
// duplicate is a second queue message for the same job, as at-least-once delivery allows.
import type { AppServices, SyncMessage } from "~/context.server";
import type { BatchHooks } from "./consumer.server";
import { SimulatedCrash } from "./run-job.server";

export async function chaosHooks(app: AppServices, batch: MessageBatch<unknown>): Promise<BatchHooks> {
  const { CHAOS_CRASH_RATE: crash, CHAOS_DUPLICATE_RATE: duplicate, APP_ENV } = app.env;
  if (APP_ENV === "production") return {};
  if (duplicate) {
    for (const message of batch.messages)
      if (Math.random() < duplicate) await app.queue.send(message.body as SyncMessage).catch(() => {});
  }
  if (!crash) return {};
  return {
    afterZohoWrite: () => {
      if (Math.random() < crash) throw new SimulatedCrash("chaos: worker died between the Zoho write and the database write");
    },
  };
}
