// What differs between the portal and Zoho (issue 20 item 6), computed by one SQL shape over the customers and
// the mirror of Zoho's directory (app/zoho/mirror/): no Zoho call. It reads the mirror as it is, whoever else
// acts on the differences (a re-vetting of links, an admin), so a difference leaves the list once it is gone
// from either side. Linked customers only (a customer with a Zoho contact id):
//  - deleted_contact: Zoho answered 404 for the contact (a read, a webhook, the weekly pass);
//  - inactive_contact: the contact is inactive (made so, or merged into another: Zoho inactivates the merged one);
//  - email_differs: the contact's primary email is not the customer's own address (trimmed, any case);
//  - missing_in_zoho: the mirror, complete, has no such contact (never listed by Zoho);
//  - possible_duplicate: another active customer contact has the customer's email.
// Indexes used: customers_zoho_contact_unique (linked customers), the mirror's primary key and its email index.
import { sql, type SQL } from "drizzle-orm";
import { csvLine, LOG_CSV_MAX_ROWS } from "~/common/log-query";
import type { DbOrTx } from "~/db/client.server";
import type { AppEnv } from "~/env.server";
import { mirrorComplete, mirrorOn } from "./state";
import { peekMirrorState, storeReconciliationCounts, storedReconciliationCounts } from "./store.server";
import { RECONCILIATION_KINDS, RECONCILIATION_LABEL, RECONCILIATION_PAGE_SIZE, type ReconciliationKind, type ReconciliationQuery } from "~/common/reconciliation";

export type ReconciliationRow = {
  kind: ReconciliationKind;
  customerId: string;
  name: string;
  email: string;
  contactId: string;
  contactName: string | null;
  zohoEmail: string | null;
  zohoStatus: string | null;
  deletedAt: string | null;
};

/** Whether the mirror can be compared at all, and whether it is whole (only then is "not in Zoho" known). */
export type MirrorBasis = { on: boolean; complete: boolean };

export async function mirrorBasis(db: DbOrTx, env: Pick<AppEnv, "MIRROR_FULL_READ_DAILY_CALLS">): Promise<MirrorBasis> {
  if (!mirrorOn(env)) return { on: false, complete: false };
  const state = await peekMirrorState(db);
  return { on: true, complete: !!state && mirrorComplete(state) };
}

/**
 * The one query shape: every difference, one row per (customer, kind). `complete` adds "not in Zoho's directory"
 * (while the first full read runs, a contact not read yet is not missing).
 */
export function differencesSql(complete: boolean): SQL {
  return sql`
    with linked as (
      select c.id, c.first_name, c.last_name, c.email, c.created_at, c.zoho_contact_id,
        lower(trim(c.email)) as norm_email,
        m.contact_id as m_id, m.name as m_name, m.email as m_email, m.status as m_status, m.deleted_at as m_deleted
      from customers c left join zoho_mirror_contacts m on m.contact_id = c.zoho_contact_id
      where c.zoho_contact_id is not null
    )
    select 'deleted_contact' as kind, * from linked where m_deleted is not null
    union all
    select 'inactive_contact', * from linked where m_id is not null and m_deleted is null and m_status = 'inactive'
    union all
    select 'email_differs', * from linked where m_id is not null and m_deleted is null and m_email <> norm_email
    union all
    select 'missing_in_zoho', * from linked where m_id is null and ${complete ? sql`true` : sql`false`}
    union all
    select 'possible_duplicate', * from linked l where (l.m_id is null or l.m_deleted is null) and l.norm_email <> '' and exists (
      select 1 from zoho_mirror_contacts d
      where d.email = l.norm_email and d.contact_id <> l.zoho_contact_id and d.deleted_at is null
        and d.status = 'active' and d.contact_type = 'customer')`;
}

const KIND_ORDER = sql.raw(`array[${RECONCILIATION_KINDS.map((k) => `'${k}'`).join(", ")}]::text[]`);

/** How many differences of each kind (the dashboard card and the page's filter). */
export async function reconciliationCounts(db: DbOrTx, basis: MirrorBasis): Promise<Record<ReconciliationKind, number> | null> {
  if (!basis.on) return null;
  const result = await db.execute(sql`select kind, count(*)::int as n from (${differencesSql(basis.complete)}) d group by kind`);
  const counts = Object.fromEntries(RECONCILIATION_KINDS.map((k) => [k, 0])) as Record<ReconciliationKind, number>;
  for (const row of result.rows as Array<{ kind: ReconciliationKind; n: number }>) counts[row.kind] = Number(row.n);
  return counts;
}

/** Counts stored this long ago or less are what the dashboard shows (the hourly maintenance stores them). */
export const STORED_COUNTS_MAX_AGE_MS = 2 * 60 * 60_000;

/**
 * The hourly maintenance counts the differences once (one scan of the linked customers) and stores them with the
 * time, so that the dashboard, opened many times an hour, reads one row instead (0.7–1.9 s a scan at 100,000
 * linked customers on the shared 2-core machine). Returns the counts (null while the mirror is off).
 */
export async function recountReconciliation(db: DbOrTx, env: Pick<AppEnv, "MIRROR_FULL_READ_DAILY_CALLS">, now = new Date()) {
  const counts = await reconciliationCounts(db, await mirrorBasis(db, env));
  if (counts) await storeReconciliationCounts(db, counts, now);
  return counts;
}

/**
 * What the dashboard shows: the stored counts while they are at most STORED_COUNTS_MAX_AGE_MS old (with the time they
 * were counted), otherwise counted now (nothing stored: a GET writes nothing). The page itself always reads live.
 */
export async function dashboardReconciliation(db: DbOrTx, env: Pick<AppEnv, "MIRROR_FULL_READ_DAILY_CALLS">, now = new Date()): Promise<{ counts: Record<ReconciliationKind, number>; countedAt: string } | null> {
  const basis = await mirrorBasis(db, env);
  if (!basis.on) return null;
  const stored = await storedReconciliationCounts(db);
  if (stored && now.getTime() - stored.countedAt.getTime() <= STORED_COUNTS_MAX_AGE_MS) {
    const counts = Object.fromEntries(RECONCILIATION_KINDS.map((k) => [k, Number(stored.counts[k] ?? 0)])) as Record<ReconciliationKind, number>;
    return { counts, countedAt: stored.countedAt.toISOString() };
  }
  return { counts: (await reconciliationCounts(db, basis))!, countedAt: now.toISOString() };
}

type RawRow = {
  kind: ReconciliationKind;
  id: string;
  first_name: string;
  last_name: string;
  email: string;
  zoho_contact_id: string;
  m_name: string | null;
  m_email: string | null;
  m_status: string | null;
  m_deleted: string | Date | null;
};

const toRow = (r: RawRow): ReconciliationRow => ({
  kind: r.kind,
  customerId: r.id,
  name: `${r.first_name} ${r.last_name}`,
  email: r.email,
  contactId: r.zoho_contact_id,
  contactName: r.m_name,
  zohoEmail: r.m_email,
  zohoStatus: r.m_status,
  deletedAt: r.m_deleted ? new Date(r.m_deleted).toISOString() : null,
});

async function rows(db: DbOrTx, basis: MirrorBasis, kind: ReconciliationKind | undefined, limit: number, offset: number) {
  const result = await db.execute(sql`
    select * from (${differencesSql(basis.complete)}) d
    ${kind ? sql`where kind = ${kind}` : sql``}
    order by array_position(${KIND_ORDER}, kind), created_at desc, id
    limit ${limit} offset ${offset}`);
  return (result.rows as RawRow[]).map(toRow);
}

/** One page of differences, by kind then newest customer first (offset pages: the list changes rarely). */
export async function reconciliationPage(db: DbOrTx, basis: MirrorBasis, q: ReconciliationQuery) {
  if (!basis.on) return { rows: [], hasMore: false };
  const found = await rows(db, basis, q.kind, RECONCILIATION_PAGE_SIZE + 1, (q.page - 1) * RECONCILIATION_PAGE_SIZE);
  return { rows: found.slice(0, RECONCILIATION_PAGE_SIZE), hasMore: found.length > RECONCILIATION_PAGE_SIZE };
}

export const RECONCILIATION_CSV_HEADER = ["kind", "what differs", "customer id", "customer", "customer email", "Zoho contact id", "Zoho contact", "Zoho primary email", "Zoho status", "deleted in Zoho at"];

/** The filtered list as CSV (at most LOG_CSV_MAX_ROWS rows), the same order as the page. */
export async function reconciliationCsv(db: DbOrTx, basis: MirrorBasis, kind: ReconciliationKind | undefined): Promise<string> {
  const found = basis.on ? await rows(db, basis, kind, LOG_CSV_MAX_ROWS, 0) : [];
  const lines = found.map((r) => csvLine([r.kind, RECONCILIATION_LABEL[r.kind], r.customerId, r.name, r.email, r.contactId, r.contactName, r.zohoEmail, r.zohoStatus, r.deletedAt]));
  return [csvLine(RECONCILIATION_CSV_HEADER), ...lines].join("\r\n") + "\r\n";
}

/** The total, for the admin digest's line (null while the mirror is off). */
export async function reconciliationTotal(db: DbOrTx, env: Pick<AppEnv, "MIRROR_FULL_READ_DAILY_CALLS">): Promise<number | null> {
  const counts = await reconciliationCounts(db, await mirrorBasis(db, env));
  return counts ? Object.values(counts).reduce((a, b) => a + b, 0) : null;
}
