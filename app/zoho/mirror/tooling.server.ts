// The mirror's verbs for chaos runs, benches and tests only (as app/sync/jobs/tooling.server.ts for the job store):
// time travel on the mirror's own clock. The app never imports this module; tools use it instead of SQL of their own.
import { sql } from "drizzle-orm";
import type { SqlRunner } from "~/db/client.server";

/**
 * `ms` pass for the mirror: its last reads, its first full read and its last weekly pass are that much older, so
 * the scheduled maintenance reads Zoho's changes again (after SCHEDULED_READ_INTERVAL_MS) and starts the weekly
 * full pass (after FULL_PASS_EVERY_MS) as it would once that time had gone by. Leases and watermarks stay.
 */
export async function mirrorTimePasses(db: SqlRunner, ms: number) {
  const back = sql`${ms} * interval '1 millisecond'`;
  await db.execute(sql`update zoho_mirror_state set
    contacts_refreshed_at = contacts_refreshed_at - ${back},
    invoices_refreshed_at = invoices_refreshed_at - ${back},
    full_read_done_at = full_read_done_at - ${back},
    pass_done_at = pass_done_at - ${back}
    where id = 1`);
}
