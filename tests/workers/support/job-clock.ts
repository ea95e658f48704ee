// Time travel for sync jobs: make a scheduled job (or every open job) due now, or its lease expired.
import { sql } from "./database";

/** A job waiting for its retry, its turn in the pace line or tomorrow's budget becomes due now (reopened if `reopen`). */
export async function makeJobDue(databaseUrl: string, jobId?: string, opts: { reopen?: boolean } = {}) {
  const reopen = opts.reopen ? "processed_at = null, " : "";
  // A job waiting in the pace line: its slot is now too (its turn has come).
  const set = `${reopen}scheduled_for = now(), pace_slot = case when pace_slot is null then null else now() end`;
  if (jobId) await sql(databaseUrl, `update zoho_sync_queue set ${set} where id = $1`, [jobId]);
  else await sql(databaseUrl, `update zoho_sync_queue set ${set}`);
}
