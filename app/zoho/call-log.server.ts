// The Zoho call log's only owner: one row per call to Zoho (Books through client.server.ts, Accounts through
// oauth.server.ts), the console's reads and CSV, and the hourly prune. Writing is best effort: a failed write is
// logged and forgotten, never the caller's failure (a sync must not fail because its trail could not be kept).
import { sql, type SQL } from "drizzle-orm";
import { csvLine, LOG_CSV_MAX_ROWS, LOG_PAGE_SIZE } from "~/common/log-query";
import type { DbOrTx } from "~/db/client.server";
import { zohoCallLog } from "~/db/schema";
import { log } from "~/log.server";
import { loggedMessage, loggedPath, type CallLogPurpose, type ZohoCallQuery } from "./call-log";

/** Who a call was for, when it was for someone. */
export type CallSubject = { customerId?: string | null; adminId?: string | null };

export type ZohoCallEntry = CallSubject & {
  purpose: CallLogPurpose;
  method: string;
  url: URL | string;
  /** HTTP status, null when no answer came (timeout, network). */
  httpStatus: number | null;
  zohoCode: number | null;
  message: string | null;
  durationMs: number;
};

/** Writes one row (path and message cleaned first). Never throws. */
export async function recordZohoCall(db: DbOrTx | undefined, entry: ZohoCallEntry): Promise<void> {
  if (!db) return;
  try {
    await db.insert(zohoCallLog).values({
      purpose: entry.purpose,
      method: entry.method.toUpperCase().slice(0, 10),
      path: loggedPath(entry.url),
      httpStatus: entry.httpStatus,
      zohoCode: entry.zohoCode,
      message: loggedMessage(entry.message),
      durationMs: Math.max(0, Math.round(entry.durationMs)),
      customerId: entry.customerId ?? null,
      adminId: entry.adminId ?? null,
    });
  } catch (error) {
    log("warn", "could not write the Zoho call log", { error, purpose: entry.purpose, method: entry.method });
  }
}

export type ZohoCallRow = {
  id: number;
  at: string;
  purpose: CallLogPurpose;
  method: string;
  path: string;
  httpStatus: number | null;
  zohoCode: number | null;
  message: string | null;
  durationMs: number;
  customerId: string | null;
  adminId: string | null;
};

const SELECT = sql`select id::int as id, at, purpose, method, path, http_status as "httpStatus", zoho_code as "zohoCode", message,
  duration_ms as "durationMs", customer_id as "customerId", admin_id as "adminId" from zoho_call_log`;

// An answer is ok when Zoho said code 0 (Books) or, without a code, answered 2xx (Accounts).
const FAILED = sql`(http_status is null or http_status >= 400 or coalesce(zoho_code, 0) <> 0)`;

function where(q: ZohoCallQuery): SQL {
  const parts: SQL[] = [sql`true`];
  if (q.purpose) parts.push(sql`purpose = ${q.purpose}`);
  if (q.outcome === "error") parts.push(FAILED);
  if (q.outcome === "ok") parts.push(sql`not ${FAILED}`);
  if (q.customer) parts.push(sql`customer_id = ${q.customer}::uuid`);
  if (q.from) parts.push(sql`at >= (${q.from}::date)::timestamp at time zone 'Asia/Manila'`);
  if (q.to) parts.push(sql`at < ((${q.to}::date) + 1)::timestamp at time zone 'Asia/Manila'`);
  return sql.join(parts, sql` and `);
}

const normalise = (r: ZohoCallRow): ZohoCallRow => ({ ...r, id: Number(r.id), at: new Date(r.at).toISOString() });

/** One page, newest first, with cursors for the pages before and after it. */
export async function zohoCallPage(db: DbOrTx, q: ZohoCallQuery) {
  const backwards = !!q.before && !q.after;
  const cursor = q.after ? sql` and id < ${q.after}::bigint` : q.before ? sql` and id > ${q.before}::bigint` : sql``;
  const result = await db.execute(sql`${SELECT} where ${where(q)}${cursor} order by id ${sql.raw(backwards ? "asc" : "desc")} limit ${LOG_PAGE_SIZE + 1}`);
  const fetched = (result.rows as ZohoCallRow[]).map(normalise);
  const more = fetched.length > LOG_PAGE_SIZE;
  const rows = fetched.slice(0, LOG_PAGE_SIZE);
  if (backwards) rows.reverse();
  return {
    rows,
    previous: rows.length && (backwards ? more : !!q.after) ? String(rows[0].id) : null,
    next: rows.length && (backwards ? true : more) ? String(rows.at(-1)!.id) : null,
  };
}

/** What Zoho said about one customer lately (its detail page). */
export async function zohoCallsForCustomer(db: DbOrTx, customerId: string, limit = 20): Promise<ZohoCallRow[]> {
  const result = await db.execute(sql`${SELECT} where customer_id = ${customerId}::uuid order by id desc limit ${limit}`);
  return (result.rows as ZohoCallRow[]).map(normalise);
}

export const ZOHO_CALL_CSV_HEADER = ["id", "at", "purpose", "method", "path", "http_status", "zoho_code", "message", "duration_ms", "customer_id", "admin_id"];

export async function zohoCallCsv(db: DbOrTx, q: ZohoCallQuery): Promise<string> {
  const result = await db.execute(sql`${SELECT} where ${where(q)} order by id desc limit ${LOG_CSV_MAX_ROWS}`);
  const lines = (result.rows as ZohoCallRow[])
    .map(normalise)
    .map((r) => csvLine([r.id, r.at, r.purpose, r.method, r.path, r.httpStatus, r.zohoCode, r.message, r.durationMs, r.customerId, r.adminId]));
  return [csvLine(ZOHO_CALL_CSV_HEADER), ...lines].join("\r\n") + "\r\n";
}

/** The hourly prune: rows older than ZOHO_CALL_LOG_RETENTION_DAYS go. */
export async function pruneZohoCallLog(db: DbOrTx, retentionDays: number): Promise<number> {
  const result = await db.execute(sql`with d as (delete from zoho_call_log where at < now() - make_interval(days => ${retentionDays}::int) returning 1)
    select count(*)::int as n from d`);
  return Number((result.rows[0] as { n: number }).n);
}
