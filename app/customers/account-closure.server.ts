// How an account ends (docs/decisions/022): "this wasn't me" from a confirmation link (an unconfirmed
// registration removed by the address's owner) and deletion by the customer (password typed again). Both
// remove the person's data from Postgres: the account, its customer row (its sync job and timeline with it),
// sessions (signed in, or still holding the registration), links and codes, mail, throttle keys that carry
// the address, copies of the address in other rows' texts, cached invoices and the Zoho call log's rows about
// them. The admin audit log holds only ids and is left as it is (it refuses changes anyway). Neither calls Zoho: the Zoho
// contact stays (it is the shop's accounting record); releasing the link lets the same person register again.
// What is kept is one row in account_closures: the reason, when, and the Zoho contact id (no personal data).
import { eq, sql } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import type { DbOrTx } from "~/db/client.server";
import { accountClosures, customers, users, type AccountClosureReason } from "~/db/schema";
import { verifyPassword } from "~/auth/password.server";
import { consumeToken } from "~/email/link-tokens.server";
import { hitLimits, LIMITS, limitKeys, perAddress } from "~/auth/rate-limit.server";
import { mailLinkLimitKeys, viewVerifyLink } from "~/auth/verification.server";
import { ANONYMISED } from "~/db/personal-data";

/**
 * Removes the account `userId` and every trace of its person, inside the caller's transaction. Returns
 * false when there is no such account (any more).
 */
export async function closeAccount(tx: DbOrTx, userId: string, reason: AccountClosureReason): Promise<boolean> {
  const [user] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
  if (!user) return false;
  const [customer] = await tx.select().from(customers).where(eq(customers.userId, userId)).for("update");
  const addresses = [...new Set([user.email, user.pendingEmail, user.previousEmail, customer?.email].filter((a): a is string => !!a).map((a) => a.toLowerCase()))];
  const contactId = customer?.zohoContactId ?? null;
  await tx.insert(accountClosures).values({ reason, zohoContactId: contactId, zohoLinkBasis: customer?.zohoLinkBasis ?? null });
  if (contactId) {
    // The invoices are this person's; the per-contact call counters are not personal but name a contact nobody holds now.
    await tx.execute(sql`delete from zoho_invoice_cache where contact_id = ${contactId}`);
    await tx.execute(sql`delete from zoho_order_calls where contact_id = ${contactId}`);
  }
  // The Zoho call log's rows for this customer (Zoho's messages, searched names) go; so do other rows that quote the name.
  if (customer) {
    const name = `${customer.firstName} ${customer.lastName}`.toLowerCase();
    await tx.execute(sql`delete from zoho_call_log where customer_id = ${customer.id}
      or position(${name} in lower(coalesce(message, ''))) > 0 or position(${customer.lastName.toLowerCase()} in lower(path)) > 0`);
  }
  // The customer row goes with its job and timeline (foreign keys cascade); the unique link index frees the contact.
  if (customer) await tx.delete(customers).where(eq(customers.id, customer.id));
  // Sessions signed in to it, its links and codes, and its mail cascade from the user row.
  await tx.delete(users).where(eq(users.id, userId));
  const list = sql.join(addresses.map((a) => sql`${a}`), sql`, `);
  // Anonymous sessions that hold this registration (the browser that registered, drafts with the address).
  await tx.execute(sql`delete from sessions where data->'registered'->>'userId' = ${userId}
    or lower(data->'registered'->>'email') in (${list}) or lower(data->'registration'->'personal'->>'email') in (${list})`);
  for (const address of addresses) {
    // Throttle keys carry the address (sign-in, registration, reset limits) or the account id.
    await tx.execute(sql`delete from auth_throttle where position(${address} in lower(key)) > 0 or position(${userId} in key) > 0`);
    // Mail to the address not tied to the account row (e.g. "you already have an account"), and alerts naming it.
    await tx.execute(sql`delete from email_outbox where lower(to_address) = ${address}`);
    await tx.execute(sql`update email_outbox set content = replace(content::text, ${address}, ${ANONYMISED.email})::jsonb
      where content is not null and position(${address} in lower(content::text)) > 0`);
    // Other customers' review notes name the account that held a contact ("already linked to another account (…)").
    await tx.execute(sql`update customers set zoho_sync_error = replace(zoho_sync_error, ${address}, ${ANONYMISED.email})
      where position(${address} in lower(zoho_sync_error)) > 0`);
    await tx.execute(sql`update zoho_sync_events set error = replace(error, ${address}, ${ANONYMISED.email})
      where position(${address} in lower(error)) > 0`);
  }
  if (customer) {
    // An alert mail lists a failed customer by name: a sent digest keeps the line without it.
    const name = `${customer.firstName} ${customer.lastName}`;
    await tx.execute(sql`update email_outbox set content = replace(content::text, ${jsonText(name)}, ${ANONYMISED.name})::jsonb
      where kind = 'alert' and position(${jsonText(name)} in content::text) > 0`);
  }
  return true;
}

/** How a string appears inside a JSON text (quotes and backslashes escaped), without the surrounding quotes. */
function jsonText(s: string) {
  return JSON.stringify(s).slice(1, -1);
}

export type NotMeResult =
  | { ok: true }
  | { ok: false; reason: "limited"; retryAfterSeconds: number }
  /** The address was confirmed (by the person who has the mailbox): nothing is removed from a link. */
  | { ok: false; reason: "confirmed" }
  | { ok: false; reason: "unknown" | "used" | "expired" | "changed" };

/**
 * "This wasn't me" on a confirmation link: the address's owner removes an unconfirmed account registered
 * with it, at once. Nothing of it reached Zoho (sync waits for the confirmation). The link works once.
 */
export async function disownRegistration(app: AppServices, token: string, clientAddress: string | null): Promise<NotMeResult> {
  const view = await viewVerifyLink(app, token);
  if (!view.ok) return view.reason === "already" ? { ok: false, reason: "confirmed" } : { ok: false, reason: view.reason };
  const limited = await hitLimits(app.db, mailLinkLimitKeys(app, view.userId, clientAddress));
  if (!limited.ok) return { ok: false, reason: "limited", retryAfterSeconds: limited.retryAfterSeconds };
  return app.db.transaction(async (tx): Promise<NotMeResult> => {
    const used = await consumeToken(tx, token, "verify_email");
    if (!used.ok) return { ok: false, reason: used.reason };
    const [user] = await tx.select({ verifiedAt: users.emailVerifiedAt, email: users.email }).from(users).where(eq(users.id, used.userId)).for("update");
    if (!user || user.email.toLowerCase() !== used.email.toLowerCase()) return { ok: false, reason: "changed" };
    if (user.verifiedAt) return { ok: false, reason: "confirmed" };
    await closeAccount(tx, used.userId, "not_me");
    return { ok: true };
  });
}

export type DeleteResult = { ok: true } | { ok: false; reason: "password" } | { ok: false; reason: "limited"; retryAfterSeconds: number };

/** The customer deletes their account, after typing the password again. */
export async function deleteAccount(app: AppServices, userId: string, password: string, clientAddress: string | null): Promise<DeleteResult> {
  const limited = await hitLimits(app.db, passwordCheckLimitKeys(app, userId, clientAddress));
  if (!limited.ok) return { ok: false, reason: "limited", retryAfterSeconds: limited.retryAfterSeconds };
  const [user] = await app.db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!user || !(await verifyPassword(password, user.passwordHash))) return { ok: false, reason: "password" };
  await app.db.transaction((tx) => closeAccount(tx, userId, "deleted_by_customer"));
  return { ok: true };
}

export function passwordCheckLimitKeys(app: AppServices, userId: string, clientAddress: string | null) {
  return limitKeys("password-check", {
    account: { id: userId, limit: LIMITS.passwordCheck.account },
    ip: { id: clientAddress, limit: perAddress(LIMITS.passwordCheck.ip, app.env.RATE_LIMIT_ADDRESS_FACTOR) },
  });
}

/** For the admin dashboard: accounts ended, by reason (no addresses: nobody else sees those). */
export async function closureCounts(db: DbOrTx) {
  const result = await db.execute(sql`
    select count(*) filter (where reason = 'not_me')::int as not_me,
           count(*) filter (where reason = 'deleted_by_customer')::int as deleted,
           count(*) filter (where reason = 'not_me' and at > now() - interval '30 days')::int as not_me_30d
    from account_closures`);
  const row = result.rows[0] as { not_me: number; deleted: number; not_me_30d: number };
  return { notMe: Number(row.not_me), notMeLast30Days: Number(row.not_me_30d), deleted: Number(row.deleted) };
}

/** Zoho contacts whose portal account its customer deleted (newest first): the contacts stay in Zoho. */
export async function deletedAccountContacts(db: DbOrTx, limit = 20) {
  return db
    .select({ at: accountClosures.at, contactId: accountClosures.zohoContactId, basis: accountClosures.zohoLinkBasis })
    .from(accountClosures)
    .where(sql`${accountClosures.reason} = 'deleted_by_customer' and ${accountClosures.zohoContactId} is not null`)
    .orderBy(sql`${accountClosures.at} desc`)
    .limit(limit);
}

/** Per contact id: when an account linked to it was deleted by its customer (shown beside Zoho contacts in the admin console). */
export async function deletionsOfContacts(db: DbOrTx, contactIds: string[]): Promise<Map<string, Date>> {
  if (contactIds.length === 0) return new Map();
  const rows = await db
    .select({ contactId: accountClosures.zohoContactId, at: sql<Date>`max(${accountClosures.at})` })
    .from(accountClosures)
    .where(sql`${accountClosures.reason} = 'deleted_by_customer' and ${accountClosures.zohoContactId} in (${sql.join(contactIds.map((c) => sql`${c}`), sql`, `)})`)
    .groupBy(accountClosures.zohoContactId);
  return new Map(rows.map((r) => [r.contactId!, new Date(r.at)]));
}
