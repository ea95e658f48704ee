// The admin customer list: filters in the URL, keyset pagination (stays fast at 100,000 rows: every
// order has a matching index), counts per status for the filter chips (from a counter table, see statusCounts).
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "~/db/client.server";
import { SYNC_STATUSES, type SyncStatus } from "~/db/schema";
import type { ReviewReason } from "~/sync/link-policy";
import { searchPrefixQuery, searchWords, type ListQuery } from "./customer-list";

export const PAGE_SIZE = 25;

export type ListRow = {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  isReturningCustomer: boolean;
  zohoSyncStatus: SyncStatus;
  zohoReviewReason: ReviewReason | null;
  createdAt: string;
};

// A page boundary: the sort key of the row (registration time, or the name key) and its id.
type Cursor = { k: string; id: string };
const encodeCursor = (c: Cursor) => btoa(encodeURIComponent(JSON.stringify(c))).replaceAll("=", "");
function decodeCursor(s: string | undefined, byName: boolean): Cursor | null {
  if (!s) return null;
  try {
    const c = JSON.parse(decodeURIComponent(atob(s))) as Cursor;
    const keyOk = typeof c.k === "string" && c.k.length <= 300 && (byName || !Number.isNaN(Date.parse(c.k)));
    return keyOk && /^[0-9a-f-]{36}$/.test(c.id) ? c : null;
  } catch {
    return null;
  }
}

// Must match the expression of the index customers_name_sort_idx (drizzle/0003).
const NAME_KEY = sql.raw(`lower(last_name || ' ' || first_name)`);


function filters(query: ListQuery, withStatus: boolean): SQL {
  const parts: SQL[] = [sql`true`];
  if (withStatus && query.status) parts.push(sql`zoho_sync_status = ${query.status}`);
  if (query.reason) parts.push(sql`zoho_review_reason = ${query.reason} and zoho_sync_status in ('skipped', 'failed')`);
  if (query.type) parts.push(sql`is_returning_customer = ${query.type === "returning"}`);
  if (query.q) {
    // Word prefixes through the GIN index on search_words (drizzle/0014); a search without a word matches nobody.
    const words = searchWords(query.q);
    parts.push(words.length ? sql`search_words @@ to_tsquery('simple', ${searchPrefixQuery(words)})` : sql`false`);
  }
  return sql.join(parts, sql` and `);
}

export async function listCustomers(db: DbOrTx, query: ListQuery) {
  const byName = query.sort === "name";
  const after = decodeCursor(query.after, byName);
  const before = after ? null : decodeCursor(query.before, byName);
  // Walking backwards (a "previous" page) reads in the opposite order, then flips the page.
  const forward = !before;
  const descending = (query.sort === "newest") === forward;
  const cursor = after ?? before;
  const op = descending ? sql.raw("<") : sql.raw(">");
  // Spelled as the indexes are built (drizzle makes DESC indexes NULLS LAST; an ORDER BY that differs,
  // even on NOT NULL columns, makes Postgres sort the whole table instead of reading the index).
  const dir = sql.raw(descending ? (byName ? "desc" : "desc nulls last") : byName ? "asc" : "asc nulls first");
  const key = byName ? NAME_KEY : sql.raw("created_at");
  const keyset = cursor
    ? byName
      ? sql`and (${key}, id) ${op} (${cursor.k}, ${cursor.id}::uuid)`
      : sql`and (${key}, id) ${op} (${cursor.k}::timestamptz, ${cursor.id}::uuid)`
    : sql``;
  const result = await db.execute(sql`
    select id, first_name as "firstName", last_name as "lastName", email, is_returning_customer as "isReturningCustomer",
      zoho_sync_status as "zohoSyncStatus",
      case when zoho_sync_status in ('skipped', 'failed') then zoho_review_reason end as "zohoReviewReason", to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "createdAt",
      ${NAME_KEY} as "nameKey"
    from customers where ${filters(query, true)} ${keyset}
    order by ${key} ${dir}, id ${dir} limit ${PAGE_SIZE + 1}`);
  let rows = result.rows as Array<ListRow & { nameKey: string }>;
  const more = rows.length > PAGE_SIZE;
  rows = rows.slice(0, PAGE_SIZE);
  if (!forward) rows.reverse();
  const first = rows[0];
  const last = rows.at(-1);
  return {
    rows,
    next: last && (forward ? more : true) ? encodeCursor({ k: byName ? last.nameKey : last.createdAt, id: last.id }) : null,
    previous: first && (forward ? !!after : more) ? encodeCursor({ k: byName ? first.nameKey : first.createdAt, id: first.id }) : null,
  };
}

export type StatusCounts = Record<SyncStatus | "all", number> & {
  /** True when a search matched more customers than were counted: each number is then "at least". */
  atLeast: boolean;
};

// A search's chips count at most this many matches (a common term could match every customer).
export const SEARCH_COUNT_CAP = 1000;

/**
 * Customers per sync status under the current type/search filters (the chips). Without a search the
 * numbers come from the counter table the triggers keep (drizzle/: customer_counts), exact and never a
 * full count; with a search, from the first SEARCH_COUNT_CAP + 1 matches.
 */
export async function statusCounts(db: DbOrTx, query: ListQuery): Promise<StatusCounts> {
  const result = query.q
    ? await db.execute(sql`
        select zoho_sync_status as status, count(*)::int as n
        from (select zoho_sync_status from customers where ${filters(query, false)} limit ${SEARCH_COUNT_CAP + 1}) matches group by 1`)
    : await db.execute(sql`
        select zoho_sync_status as status, sum(n)::int as n from customer_status_counts
        where ${query.type ? sql`is_returning_customer = ${query.type === "returning"}` : sql`true`} group by 1`);
  const counts = { ...Object.fromEntries(SYNC_STATUSES.map((s) => [s, 0])), all: 0, atLeast: false } as StatusCounts;
  for (const row of result.rows as Array<{ status: SyncStatus; n: number }>) {
    counts[row.status] = Number(row.n);
    counts.all += Number(row.n);
  }
  counts.atLeast = !!query.q && counts.all > SEARCH_COUNT_CAP;
  return counts;
}
