// Time travel for sync jobs: make a scheduled job (or every open job) due now, or its lease expired.
import { sql } from "./database";

/** A job waiting for its retry or for tomorrow's budget becomes due now (reopened if `reopen`). */
export async function makeJobDue(databaseUrl: string, jobId?: string, opts: { reopen?: boolean } = {}) {
  const reopen = opts.reopen ? "processed_at = null, " : "";
  if (jobId) await sql(databaseUrl, `update zoho_sync_queue set ${reopen}scheduled_for = now() where id = $1`, [jobId]);
  else await sql(databaseUrl, `update zoho_sync_queue set ${reopen}scheduled_for = now()`);
}
