// The admin audit log's only owner: the one function every admin action calls (recordAdminAction), the
// console's reads (filtered keyset pages, a customer's rows, the CSV) and the hourly prune. The table is
// append-only in the database itself (drizzle/0021: UPDATE and early DELETE refused by a trigger); it holds
// ids, never names or addresses of customers, so erasing a customer leaves it untouched.
import { sql, type SQL } from "drizzle-orm";
import { csvLine, LOG_CSV_MAX_ROWS, LOG_PAGE_SIZE } from "~/common/log-query";
import type { DbOrTx } from "~/db/client.server";
import { adminAuditLog } from "~/db/schema";
import { actionLabel, describeChange, type AdminAction } from "./actions";
import type { AuditQuery } from "./query";

export type AdminActionEntry = {
  /** The admin who acted (for a refused sign-in: the admin account that was tried). */
  adminId: string | null;
  action: AdminAction;
  /** The client's address (CF-Connecting-IP), null when unknown. */
  clientAddress: string | null;
  /** The customers acted on: one for a per-customer action, all of them for a bulk action. */
  customerIds?: string[];
  contactId?: string | null;
  /** How many things a bulk action touched (defaults to the number of customers when there are several). */
  count?: number;
  /** What changed: ids and states only, never personal data. */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** Why, where the action asks for a reason. */
  reason?: string | null;
};

/** Writes one audit row. Call it once per admin action, after the action took effect. */
export async function recordAdminAction(db: DbOrTx, entry: AdminActionEntry): Promise<void> {
  const customerIds = entry.customerIds ?? [];
  await db.insert(adminAuditLog).values({
    adminId: entry.adminId,
    action: entry.action,
    clientAddress: entry.clientAddress?.slice(0, 64) ?? null,
    customerIds,
    contactId: entry.contactId ?? null,
    count: entry.count ?? (customerIds.length > 1 ? customerIds.length : null),
    before: entry.before ?? null,
    after: entry.after ?? null,
    reason: entry.reason ?? null,
  });
}

export type AuditRow = {
  id: number;
  at: string;
  adminId: string | null;
  adminEmail: string | null;
  action: string;
  clientAddress: string | null;
  customerIds: string[];
  contactId: string | null;
  count: number | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  reason: string | null;
  /** How the console names the action, and what changed (before → after) in words. */
  label: string;
  change: string | null;
};

// The admin's email is read from users at display time (the log keeps the id only).
const SELECT = sql`select a.id::int as id, a.at, a.admin_id as "adminId", u.email as "adminEmail", a.action, a.client_address as "clientAddress",
  a.customer_ids::text[] as "customerIds", a.contact_id as "contactId", a.count, a.before, a.after, a.reason
  from admin_audit_log a left join users u on u.id = a.admin_id`;

function where(q: AuditQuery): SQL {
  const parts: SQL[] = [sql`true`];
  if (q.admin) parts.push(sql`a.admin_id = ${q.admin}::uuid`);
  if (q.action) parts.push(sql`a.action = ${q.action}`);
  if (q.customer) parts.push(sql`a.customer_ids @> array[${q.customer}::uuid]`);
  if (q.from) parts.push(sql`a.at >= (${q.from}::date)::timestamp at time zone 'Asia/Manila'`);
  if (q.to) parts.push(sql`a.at < ((${q.to}::date) + 1)::timestamp at time zone 'Asia/Manila'`);
  return sql.join(parts, sql` and `);
}

const normalise = (r: AuditRow): AuditRow => ({
  ...r,
  id: Number(r.id),
  at: new Date(r.at).toISOString(),
  label: actionLabel(r.action),
  change: describeChange(r.before, r.after),
});

/** One page, newest first, with cursors for the pages before and after it. */
export async function auditPage(db: DbOrTx, q: AuditQuery) {
  const backwards = !!q.before && !q.after;
  const cursor = q.after ? sql` and a.id < ${q.after}::bigint` : q.before ? sql` and a.id > ${q.before}::bigint` : sql``;
  const result = await db.execute(
    sql`${SELECT} where ${where(q)}${cursor} order by a.id ${sql.raw(backwards ? "asc" : "desc")} limit ${LOG_PAGE_SIZE + 1}`,
  );
  const fetched = (result.rows as AuditRow[]).map(normalise);
  const more = fetched.length > LOG_PAGE_SIZE;
  const rows = fetched.slice(0, LOG_PAGE_SIZE);
  if (backwards) rows.reverse();
  const first = rows[0]?.id;
  const last = rows.at(-1)?.id;
  return {
    rows,
    previous: rows.length && (backwards ? more : !!q.after) ? String(first) : null,
    next: rows.length && (backwards ? true : more) ? String(last) : null,
  };
}

/** The newest rows about one customer (its detail page). */
export async function auditForCustomer(db: DbOrTx, customerId: string, limit = 20): Promise<AuditRow[]> {
  const result = await db.execute(sql`${SELECT} where a.customer_ids @> array[${customerId}::uuid] order by a.id desc limit ${limit}`);
  return (result.rows as AuditRow[]).map(normalise);
}

/** The admins who appear in the log or may act (the filter's choices). */
export async function auditAdmins(db: DbOrTx): Promise<Array<{ id: string; email: string }>> {
  const result = await db.execute(sql`select id, email from users where role = 'admin' order by lower(email) limit 200`);
  return result.rows as Array<{ id: string; email: string }>;
}

export const AUDIT_CSV_HEADER = ["id", "at", "admin_id", "admin_email", "action", "client_address", "customer_ids", "contact_id", "count", "before", "after", "reason"];

/** The filtered log as CSV (newest first, at most LOG_CSV_MAX_ROWS rows). */
export async function auditCsv(db: DbOrTx, q: AuditQuery): Promise<string> {
  const result = await db.execute(sql`${SELECT} where ${where(q)} order by a.id desc limit ${LOG_CSV_MAX_ROWS}`);
  const lines = (result.rows as AuditRow[]).map(normalise).map((r) =>
    csvLine([
      r.id,
      r.at,
      r.adminId,
      r.adminEmail,
      r.action,
      r.clientAddress,
      r.customerIds.join(" "),
      r.contactId,
      r.count,
      r.before ? JSON.stringify(r.before) : null,
      r.after ? JSON.stringify(r.after) : null,
      r.reason,
    ]),
  );
  return [csvLine(AUDIT_CSV_HEADER), ...lines].join("\r\n") + "\r\n";
}

/**
 * The hourly prune: sets the retention the trigger enforces (AUDIT_RETENTION_DAYS), then deletes what is past
 * it. The trigger would refuse any younger row, whatever this statement said.
 */
export async function pruneAuditLog(db: DbOrTx, retentionDays: number): Promise<number> {
  await db.execute(sql`insert into admin_audit_policy (id, retention_days) values (1, ${retentionDays})
    on conflict (id) do update set retention_days = excluded.retention_days`);
  const result = await db.execute(sql`with d as (delete from admin_audit_log where at < now() - make_interval(days => ${retentionDays}::int) returning 1)
    select count(*)::int as n from d`);
  return Number((result.rows[0] as { n: number }).n);
}
