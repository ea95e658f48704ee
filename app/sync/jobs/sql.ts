// The job store's shared pieces (docs/decisions/018-job-store.md, 027-sync-run-phases.md): what runs SQL, how
// times and ids are bound, how rows are read back, and the one condition every runnable job meets. Only the
// verbs in this folder import it.
import { sql } from "drizzle-orm";
export type { SqlRunner } from "~/db/client.server";

// A job runs only once its customer's account owner proved the email (or the customer has no
// account, e.g. one the shop entered): an unverified registration never costs a Zoho call.
export const OWNER_VERIFIED = sql`not exists (select 1 from customers vc join users vu on vu.id = vc.user_id
  where vc.id = zoho_sync_queue.customer_id and vu.email_verified_at is null)`;

export const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
export const date = (v: unknown) => (v == null ? null : v instanceof Date ? v : new Date(v as string));
export const uuids = (ids: string[]) => sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);
export const first = <T>(r: { rows: unknown[] }) => r.rows[0] as T | undefined;
export const count = (r: { rows: unknown[] }) => Number((r.rows[0] as { n: number | string } | undefined)?.n ?? 0);
