// The mirror's tables (app/db/schema.ts: zoho_mirror_contacts, zoho_mirror_invoices, zoho_mirror_state): the only
// module that names them. Rows are upserted as Zoho's answers come (idempotent: a page read twice is harmless).
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { normaliseEmail } from "~/common/email-address";
import type { DbOrTx } from "~/db/client.server";
import { zohoMirrorContacts, zohoMirrorInvoices, zohoMirrorState } from "~/db/schema";
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

export async function updateMirrorState(db: DbOrTx, patch: Partial<Omit<MirrorState, "id">>) {
  await readMirrorState(db);
  await db.update(zohoMirrorState).set(patch).where(eq(zohoMirrorState.id, 1));
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

export async function upsertContacts(db: DbOrTx, contacts: ZohoContact[]) {
  if (!contacts.length) return;
  await db
    .insert(zohoMirrorContacts)
    .values(contacts.map(contactRow))
    .onConflictDoUpdate({
      target: zohoMirrorContacts.contactId,
      set: {
        name: sql`excluded.name`,
        company: sql`excluded.company`,
        email: sql`excluded.email`,
        status: sql`excluded.status`,
        contactType: sql`excluded.contact_type`,
        lastModifiedTime: sql`excluded.last_modified_time`,
        deletedAt: sql`null`,
        seenAt: sql`excluded.seen_at`,
      },
    });
}

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
    }));
  if (!rows.length) return;
  await db
    .insert(zohoMirrorInvoices)
    .values(rows)
    .onConflictDoUpdate({
      target: zohoMirrorInvoices.invoiceId,
      set: {
        customerId: sql`excluded.customer_id`,
        invoiceNumber: sql`excluded.invoice_number`,
        date: sql`excluded.date`,
        dueDate: sql`excluded.due_date`,
        status: sql`excluded.status`,
        total: sql`excluded.total`,
        balance: sql`excluded.balance`,
        currencyCode: sql`excluded.currency_code`,
        lastModifiedTime: sql`excluded.last_modified_time`,
      },
    });
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

/** A contact Zoho answered 404 for: kept, marked, so a link to it can be vetted. */
export async function markContactDeleted(db: DbOrTx, contactId: string) {
  await db.update(zohoMirrorContacts).set({ deletedAt: new Date() }).where(eq(zohoMirrorContacts.contactId, contactId));
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
