// The mirror's tables (app/db/schema.ts: zoho_mirror_contacts, zoho_mirror_invoices, zoho_mirror_state): the only
// module that writes them (reconciliation.server.ts reads the contacts with the customers). Rows are upserted as
// Zoho's answers come (idempotent: a page read twice is harmless).
import { and, asc, desc, eq, getTableColumns, inArray, lt, sql } from "drizzle-orm";
import type { PgColumn, PgTable, PgUpdateSetSource } from "drizzle-orm/pg-core";
import { normaliseEmail } from "~/common/email-address";
import type { DbOrTx } from "~/db/client.server";
import { customers, zohoMirrorContacts, zohoMirrorInvoices, zohoMirrorState } from "~/db/schema";
import type { ZohoContact, ZohoInvoice } from "../types";
import { zohoTime } from "./time";

export type MirrorState = typeof zohoMirrorState.$inferSelect;
export type MirrorContactRow = typeof zohoMirrorContacts.$inferSelect;
export type MirrorInvoiceRow = typeof zohoMirrorInvoices.$inferSelect;

export async function readMirrorState(db: DbOrTx): Promise<MirrorState> {
  const [row] = await db.select().from(zohoMirrorState).where(eq(zohoMirrorState.id, 1));
  if (row) return row;
  await db.insert(zohoMirrorState).values({ id: 1 }).onConflictDoNothing();
  const [created] = await db.select().from(zohoMirrorState).where(eq(zohoMirrorState.id, 1));
  return created;
}

/** The state row as it is, without creating it (pages that only read: a GET changes nothing). */
export async function peekMirrorState(db: DbOrTx): Promise<MirrorState | null> {
  const [row] = await db.select().from(zohoMirrorState).where(eq(zohoMirrorState.id, 1));
  return row ?? null;
}

export async function updateMirrorState(db: DbOrTx, patch: Partial<Omit<MirrorState, "id">>) {
  await readMirrorState(db);
  await db.update(zohoMirrorState).set(patch).where(eq(zohoMirrorState.id, 1));
}

/** Reconciliation's counts as the hourly maintenance stored them (null: never counted), and when. */
export async function storedReconciliationCounts(db: DbOrTx): Promise<{ counts: Record<string, number>; countedAt: Date } | null> {
  const state = await peekMirrorState(db);
  return state?.reconciliationCounts && state.reconciliationCountedAt ? { counts: state.reconciliationCounts, countedAt: state.reconciliationCountedAt } : null;
}

export async function storeReconciliationCounts(db: DbOrTx, counts: Record<string, number>, at = new Date()) {
  await updateMirrorState(db, { reconciliationCounts: counts, reconciliationCountedAt: at });
}

export type Lease = "contacts" | "invoices" | "full_read";
const LEASE_COLUMN = { contacts: "contacts_lease_until", invoices: "invoices_lease_until", full_read: "full_read_lease_until" } as const;

/** Takes a read's lease for `ms` unless someone holds it: one reader at a time, a killed one's lease ends by itself. */
export async function takeLease(db: DbOrTx, lease: Lease, ms: number): Promise<boolean> {
  await readMirrorState(db);
  const col = sql.raw(LEASE_COLUMN[lease]);
  const taken = await db.execute(sql`
    update zoho_mirror_state set ${col} = now() + ${`${ms} milliseconds`}::interval
    where id = 1 and (${col} is null or ${col} < now()) returning id`);
  return taken.rows.length > 0;
}

export async function releaseLease(db: DbOrTx, lease: Lease) {
  await db.execute(sql`update zoho_mirror_state set ${sql.raw(LEASE_COLUMN[lease])} = null where id = 1`);
}

const contactRow = (c: ZohoContact) => ({
  contactId: c.contact_id,
  name: c.contact_name,
  company: c.company_name ?? "",
  // A list answer carries the primary person's email at the top; get_contact only on its contact persons.
  email: normaliseEmail(c.email || (c.contact_persons ?? []).find((p) => p.is_primary_contact)?.email),
  status: c.status ?? "active",
  contactType: c.contact_type ?? "customer",
  lastModifiedTime: new Date(zohoTime(c.last_modified_time ?? "") || Date.now()),
  deletedAt: null,
  seenAt: new Date(),
});

/**
 * Inserts `rows`, or where `table`'s primary key `key` exists already, takes every column from the new row: what
 * Zoho answered last wins (a page read twice is harmless). The one upsert of the mirror's tables.
 */
async function upsertRows<T extends PgTable>(db: DbOrTx, table: T, key: PgColumn, rows: T["$inferInsert"][]) {
  if (!rows.length) return;
  const set = Object.fromEntries(
    Object.entries(getTableColumns(table))
      .filter(([, column]) => column.name !== key.name)
      .map(([field, column]) => [field, sql.raw(`excluded.${column.name}`)]),
  ) as PgUpdateSetSource<T>;
  await db.insert(table).values(rows).onConflictDoUpdate({ target: key, set });
}

export const upsertContacts = (db: DbOrTx, contacts: ZohoContact[]) => upsertRows(db, zohoMirrorContacts, zohoMirrorContacts.contactId, contacts.map(contactRow));

export async function upsertInvoices(db: DbOrTx, invoices: ZohoInvoice[]) {
  const rows = invoices
    .filter((i) => i.customer_id)
    .map((i) => ({
      invoiceId: i.invoice_id,
      customerId: i.customer_id!,
      invoiceNumber: i.invoice_number,
      date: i.date,
      dueDate: i.due_date,
      status: i.status,
      total: String(i.total),
      balance: String(i.balance),
      currencyCode: i.currency_code,
      lastModifiedTime: new Date(zohoTime(i.last_modified_time ?? "") || Date.now()),
      seenAt: new Date(),
    }));
  // A voided invoice leaves the copy (order history shows none); the others are stored as Zoho answered.
  const voided = rows.filter((r) => r.status === "void").map((r) => r.invoiceId);
  if (voided.length) await db.delete(zohoMirrorInvoices).where(inArray(zohoMirrorInvoices.invoiceId, voided));
  await upsertRows(db, zohoMirrorInvoices, zohoMirrorInvoices.invoiceId, rows.filter((r) => r.status !== "void"));
}

/** Contacts (not marked deleted) that no Zoho answer has carried since `since`: the weekly pass confirms them one by one. */
export async function contactsNotSeenSince(db: DbOrTx, since: Date, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: zohoMirrorContacts.contactId })
    .from(zohoMirrorContacts)
    .where(and(sql`${zohoMirrorContacts.deletedAt} is null`, lt(zohoMirrorContacts.seenAt, since)))
    .orderBy(asc(zohoMirrorContacts.contactId))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** Invoices a complete pass did not see since `since`: deleted in Zoho, they leave the copy. Returns how many. */
export async function dropInvoicesNotSeenSince(db: DbOrTx, since: Date): Promise<number> {
  const gone = await db.delete(zohoMirrorInvoices).where(lt(zohoMirrorInvoices.seenAt, since)).returning({ id: zohoMirrorInvoices.invoiceId });
  return gone.length;
}

/** Customer contacts (any status, not deleted) whose primary email is this one, trimmed and in any case. */
export async function contactsByEmail(db: DbOrTx, email: string): Promise<MirrorContactRow[]> {
  return contactsByEmailQuery(db, email);
}

/** The lookup's query itself (the bench prints its plan with `.toSQL()`). */
export function contactsByEmailQuery(db: DbOrTx, email: string) {
  return db
    .select()
    .from(zohoMirrorContacts)
    .where(and(eq(zohoMirrorContacts.email, normaliseEmail(email)), eq(zohoMirrorContacts.contactType, "customer"), sql`${zohoMirrorContacts.deletedAt} is null`))
    .orderBy(asc(zohoMirrorContacts.contactId));
}

/**
 * Active customer contacts (not deleted) whose name contains `term`, in any case: the surname search of a returning
 * customer known by name (Zoho's `contact_name_contains`), in name order. A scan of the table (no index serves a
 * `like '%…%'`): the bench measures it at 100,000 contacts.
 */
export async function contactsNamedLike(db: DbOrTx, term: string, limit: number): Promise<MirrorContactRow[]> {
  const pattern = `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .select()
    .from(zohoMirrorContacts)
    .where(
      and(
        sql`lower(${zohoMirrorContacts.name}) like ${pattern}`,
        eq(zohoMirrorContacts.contactType, "customer"),
        eq(zohoMirrorContacts.status, "active"),
        sql`${zohoMirrorContacts.deletedAt} is null`,
      ),
    )
    .orderBy(asc(zohoMirrorContacts.name), asc(zohoMirrorContacts.contactId))
    .limit(limit);
}

/** Active customer contacts (not deleted) with this primary email: where a merged contact's customer may belong now. */
export async function activeContactsByEmail(db: DbOrTx, email: string): Promise<MirrorContactRow[]> {
  return (await contactsByEmail(db, email)).filter((c) => c.status === "active");
}

/** The mirror's row of one contact (deleted ones too). */
export async function mirroredContact(db: DbOrTx, contactId: string): Promise<MirrorContactRow | undefined> {
  const [row] = await db.select().from(zohoMirrorContacts).where(eq(zohoMirrorContacts.contactId, contactId));
  return row;
}

/**
 * Customers whose linked contact the mirror shows out of step with the link (deleted, not active, another email
 * than the customer's and the one at link time), or who wait for a Zoho-side review that may now be over; only
 * those linked to `contactIds` when given. No Zoho call: what app/sync/mirror-revet.server.ts re-vets.
 */
export async function linksToVet(db: DbOrTx, zohoSideReasons: readonly string[], contactIds?: string[]): Promise<string[]> {
  if (contactIds && contactIds.length === 0) return [];
  const reasons = sql.join(zohoSideReasons.map((r) => sql`${r}`), sql`, `);
  const only = contactIds ? sql`and c.zoho_contact_id in (${sql.join(contactIds.map((id) => sql`${id}`), sql`, `)})` : sql``;
  const rows = await db.execute(sql`
    select c.id from ${customers} c join ${zohoMirrorContacts} m on m.contact_id = c.zoho_contact_id
    where (m.deleted_at is not null or m.status <> 'active'
      or (c.zoho_link_basis = 'verified_email' and m.email <> lower(trim(c.email)) and m.email <> lower(trim(coalesce(c.zoho_contact_email, ''))))
      or c.zoho_review_reason in (${reasons})) ${only}
    order by c.id`);
  return (rows.rows as Array<{ id: string }>).map((r) => r.id);
}

/** A contact Zoho answered 404 for: kept, marked, so a link to it can be vetted. */
export async function markContactDeleted(db: DbOrTx, contactId: string) {
  await db.update(zohoMirrorContacts).set({ deletedAt: new Date() }).where(and(eq(zohoMirrorContacts.contactId, contactId), sql`${zohoMirrorContacts.deletedAt} is null`));
}

/** One page of a contact's invoices, newest first (one more row than asked: whether there is a next page). */
export async function invoicesOf(db: DbOrTx, customerId: string, page: number, perPage: number) {
  const rows = await db
    .select()
    .from(zohoMirrorInvoices)
    .where(and(eq(zohoMirrorInvoices.customerId, customerId), sql`${zohoMirrorInvoices.status} <> 'void'`))
    .orderBy(desc(zohoMirrorInvoices.date), desc(zohoMirrorInvoices.invoiceId))
    .limit(perPage + 1)
    .offset((page - 1) * perPage);
  return { items: rows.slice(0, perPage), hasMore: rows.length > perPage };
}

export async function mirrorCounts(db: DbOrTx) {
  const result = await db.execute(sql`
    select (select count(*)::int from zoho_mirror_contacts) as contacts, (select count(*)::int from zoho_mirror_invoices) as invoices`);
  return result.rows[0] as { contacts: number; invoices: number };
}

/** Benches only: the mirror emptied and its state row gone, as before its first full read. */
export async function clearMirrorForBench(db: DbOrTx) {
  await db.execute(sql`truncate zoho_mirror_contacts, zoho_mirror_invoices`);
  await db.execute(sql`delete from zoho_mirror_state`);
}

/** The mirror's tables on disk (heap, TOAST and indexes), in bytes. */
export async function mirrorTableSizes(db: DbOrTx) {
  const result = await db.execute(sql`
    select pg_total_relation_size('zoho_mirror_contacts')::bigint as contacts, pg_indexes_size('zoho_mirror_contacts')::bigint as "contactsIndexes",
      pg_total_relation_size('zoho_mirror_invoices')::bigint as invoices, pg_indexes_size('zoho_mirror_invoices')::bigint as "invoicesIndexes"`);
  const row = result.rows[0] as Record<string, string | number>;
  return { contacts: Number(row.contacts), contactsIndexes: Number(row.contactsIndexes), invoices: Number(row.invoices), invoicesIndexes: Number(row.invoicesIndexes) };
}
