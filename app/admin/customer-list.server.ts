// The admin customer list: filters in the URL, keyset pagination (stays fast at 100,000 rows: every
// order has a matching index), counts per status for the filter chips (from a counter table, see statusCounts).
import { sql, type SQL } from "drizzle-orm";
import { fromBase64, toBase64 } from "~/common/base64";
import type { DbOrTx } from "~/db/client.server";
import { SYNC_STATUSES, type SyncStatus } from "~/db/schema";
import { LINKED_REVIEW_REASONS, sqlList, type ReviewReason } from "~/sync/vocabulary";
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

// A page boundary: the sort key of the row (registration time, or the name key) and its id; in the URL as
// base64 (standard alphabet, no padding) of the URI-encoded JSON, which is plain ASCII.
type Cursor = { k: string; id: string };
const encodeCursor = (c: Cursor) => toBase64(new TextEncoder().encode(encodeURIComponent(JSON.stringify(c)))).replaceAll("=", "");
function decodeCursor(s: string | undefined, byName: boolean): Cursor | null {
  if (!s) return null;
  try {
    const c = JSON.parse(decodeURIComponent(String.fromCharCode(...fromBase64(s)))) as Cursor;
    const keyOk = typeof c.k === "string" && c.k.length <= 300 && (byName || !Number.isNaN(Date.parse(c.k)));
    return keyOk && /^[0-9a-f-]{36}$/.test(c.id) ? c : null;
  } catch {
    return null;
  }
}

// Must match the expression of the index customers_name_sort_idx (drizzle/0003).
const NAME_KEY = sql.raw(`lower(last_name || ' ' || first_name)`);

/**
 * How a search's matches are read. Postgres's statistics cannot say how many customers a word prefix matches
 * (it guesses 2 % for every prefix), so listPage measures and tells it:
 * - "words": through the GIN word index (drizzle/0014), then sorted: costs what it finds (about 1 ms per
 *   thousand matches), slow only for a word most customers have ("gmail": every customer is an entry).
 * - "order": walking the index of the list's order and testing each row, stopping at the page: right when
 *   matches are common, slow when they are rare (it may walk the whole table to fill a page).
 */
export type SearchRead = "words" | "order";

/** Newest customers looked at to tell a common word from a rare one, and the share of them that is common. */
const PROBE_ROWS = 2000;
const COMMON_SHARE = 0.05;
/** A common word's chips are counted among this many newest customers first (enough to reach the cap). */
const COMMON_COUNT_WINDOW = 40_000;

/**
 * A review reason stands while the customer is skipped or failed, and a possible duplicate or a profile edit held
 * for review while it is flagged (the customer stays linked). Spelled as the partial index customers_review_reason_idx is (app/db/schema.ts).
 */
const REASON_STANDS = sql`(zoho_sync_status in ('skipped', 'failed') or zoho_review_reason in ${sql.raw(sqlList(LINKED_REVIEW_REASONS))})`;

function filters(query: ListQuery, withStatus: boolean, read: SearchRead = "words"): SQL {
  const parts: SQL[] = [sql`true`];
  if (withStatus && query.status) parts.push(sql`zoho_sync_status = ${query.status}`);
  if (query.reason) parts.push(sql`zoho_review_reason = ${query.reason} and ${REASON_STANDS}`);
  if (query.type) parts.push(sql`is_returning_customer = ${query.type === "returning"}`);
  if (query.q) {
    // A search without a word matches nobody. Spelled through coalesce, the word index cannot serve the test.
    const words = searchWords(query.q);
    const column = read === "words" ? sql.raw("search_words") : sql.raw("coalesce(search_words, ''::tsvector)");
    parts.push(words.length ? sql`${column} @@ to_tsquery('simple', ${searchPrefixQuery(words)})` : sql`false`);
  }
  return sql.join(parts, sql` and `);
}

export type ListPage = Awaited<ReturnType<typeof listCustomers>>;

/**
 * A page of the list and its chips, as the page shows them. Without a search both run at once. With one, a
 * probe of the newest customers tells a common word from a rare one: a common word is listed walking the
 * order's index and counted among the newest customers (up to the cap); a rare one is counted and listed
 * through the word index. The probe only picks the faster way: both give the same rows and counts.
 */
export async function listPage(db: DbOrTx, query: ListQuery): Promise<{ page: ListPage; counts: StatusCounts }> {
  const read: SearchRead | undefined = query.q ? ((await isCommonSearch(db, query)) ? "order" : "words") : undefined;
  const [page, counts] = await Promise.all([listCustomers(db, query, { read }), statusCounts(db, query, { read })]);
  return { page, counts };
}

/** Whether at least COMMON_SHARE of the newest PROBE_ROWS customers match the search (a bounded read). */
async function isCommonSearch(db: DbOrTx, query: ListQuery): Promise<boolean> {
  const result = await db.execute(sql`
    select count(*)::int as hits from (select search_words from customers order by created_at desc nulls last, id desc nulls last limit ${PROBE_ROWS}) newest
    where ${filters({ q: query.q, sort: "newest" }, false, "order")}`);
  return Number((result.rows[0] as { hits: number }).hits) >= PROBE_ROWS * COMMON_SHARE;
}

/** `read`: how a search's matches are read (see SearchRead; listPage chooses). Postgres chooses when absent. */
export async function listCustomers(db: DbOrTx, query: ListQuery, opts: { read?: SearchRead } = {}) {
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
  // "words": the same order spelled so that no index provides it, so Postgres reads the matches by the word index.
  const byIndex = !(query.q && opts.read === "words");
  const keyset = cursor
    ? byName
      ? sql`and (${key}, id) ${op} (${cursor.k}, ${cursor.id}::uuid)`
      : sql`and (${key}, id) ${op} (${cursor.k}::timestamptz, ${cursor.id}::uuid)`
    : sql``;
  const result = await db.execute(sql`
    select id, first_name as "firstName", last_name as "lastName", email, is_returning_customer as "isReturningCustomer",
      zoho_sync_status as "zohoSyncStatus",
      case when ${REASON_STANDS} then zoho_review_reason end as "zohoReviewReason", to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "createdAt",
      ${NAME_KEY} as "nameKey"
    from customers where ${filters(query, true, opts.read)} ${keyset}
    order by ${byIndex ? key : sql`${key} ${byName ? sql.raw("|| ''") : sql.raw("+ interval '0 s'")}`} ${dir}, id ${dir} limit ${PAGE_SIZE + 1}`);
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
export async function statusCounts(db: DbOrTx, query: ListQuery, opts: { read?: SearchRead } = {}): Promise<StatusCounts> {
  if (query.q && opts.read === "order") {
    // Among the newest customers first (a bounded walk); a word that does not reach the cap there is counted in full.
    const capped = await db.execute(sql`
      select zoho_sync_status as status, count(*)::int as n from (
        select zoho_sync_status from (
          select zoho_sync_status, zoho_review_reason, is_returning_customer, search_words from customers
          order by created_at desc nulls last, id desc nulls last limit ${COMMON_COUNT_WINDOW}) newest
        where ${filters(query, false, "order")} limit ${SEARCH_COUNT_CAP + 1}) matches group by 1`);
    const counts = tally(capped.rows as Array<{ status: SyncStatus; n: number }>, true);
    if (counts.atLeast) return counts;
  }
  const result = query.q
    ? await db.execute(sql`
        select zoho_sync_status as status, count(*)::int as n
        from (select zoho_sync_status from customers where ${filters(query, false)} limit ${SEARCH_COUNT_CAP + 1}) matches group by 1`)
    : await db.execute(sql`
        select zoho_sync_status as status, sum(n)::int as n from customer_status_counts
        where ${query.type ? sql`is_returning_customer = ${query.type === "returning"}` : sql`true`} group by 1`);
  return tally(result.rows as Array<{ status: SyncStatus; n: number }>, !!query.q);
}

function tally(rows: Array<{ status: SyncStatus; n: number }>, searched: boolean): StatusCounts {
  const counts = { ...Object.fromEntries(SYNC_STATUSES.map((s) => [s, 0])), all: 0, atLeast: false } as StatusCounts;
  for (const row of rows) {
    counts[row.status] = Number(row.n);
    counts.all += Number(row.n);
  }
  counts.atLeast = searched && counts.all > SEARCH_COUNT_CAP;
  return counts;
}
