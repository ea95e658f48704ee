// The chaos run's world (scripts/chaos.ts): who registers and what Zoho already holds for them, the customers
// from before automatic sync (backfilled during the run), the one poison customer, and the everyday faults the
// sandbox injects. Each case carries what the oracle expects of it. Seeded: the same seed, the same world.
import type { Registrant } from "@tools/local-stack/http-session";
import type { openNodeDb } from "@tools/local-stack/node-db";
import type { SandboxControl } from "@tools/zoho-sandbox/control-client";
import { enrolAdmin, KNOWN_TOTP_SECRET } from "@tools/admin-sign-in";
import { WORKER_STOPPED_MESSAGE } from "~/sync/jobs/recover.server";

export type Node = ReturnType<typeof openNodeDb>;

export type Kind =
  | "new"
  | "new_same_name"
  | "new_known"
  | "returning_email"
  | "returning_name"
  | "ambiguous"
  | "not_found"
  | "backfill_new"
  | "backfill_known"
  | "backfill_secondary"
  | "poison";
export type Case = Registrant & { kind: Kind; expect: { status: "synced" | "skipped" | "failed"; contactId?: string; error?: string }; zohoEdit?: EditExpect };
/** The Zoho-side edits during the run (scripts/chaos/zoho-edits.ts). */
export type EditKind = "merged_relinked" | "merged_several" | "merged_held" | "deleted" | "inactive" | "email_changed";
/** Where a customer whose contact was edited in Zoho must end: status, review reason, contact (null: the link ended), and how many Zoho contacts then carry its email. */
export type EditExpect = { kind: EditKind | "email_changed_by_merge"; status: "synced" | "skipped"; reason: string | null; contactId: string | null; contacts: number };
export const isBackfill = (c: Case) => c.kind.startsWith("backfill_");

export const POISON_EMAIL = "chaos.poison@example.com";
export const OUTAGE_MESSAGE = "Service unavailable (outage)";
export const NO_MATCH = "No matching contact found in Zoho Books";
export const ADMIN = { email: "chaos.admin@example.com", password: "chaos admin password 123", totpSecret: KNOWN_TOTP_SECRET };

/** Deterministic PRNG so a run can be repeated with --seed. */
export function seededRandom(seed: number) {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

export type World = { cases: Case[]; backfill: Case[] };

/**
 * The contacts returning customers should find, the registrants (33 % new, 7 % "new" people Zoho already has,
 * 5 % new sharing one name, 25 % returning by email, 10 % by name only, 10 % ambiguous, 10 % not found), the
 * backfilled customers (a tenth; half already in Zoho, a third of those only as a secondary contact person),
 * the poison customer, and the admin who meddles during the run.
 */
export async function buildWorld(d: { customers: number; random: () => number; sandbox: SandboxControl; node: Node; encryptionKey: string }): Promise<World> {
  const { random, sandbox, node } = d;
  const cases: Case[] = [];
  const tag = () => Math.floor(random() * 1e9).toString(36);
  for (let i = 0; i < d.customers; i++) {
    const r = random();
    const id = `${i}${tag()}`;
    const person = { firstName: "Chaos", lastName: `Person${id}`, email: `chaos.${id}@example.com`, phone: "09171234567" };
    if (r < 0.33) cases.push({ ...person, customerType: "new", kind: "new", expect: { status: "synced" } });
    else if (r < 0.4) {
      // Says "new" but Zoho already has them under this email: linked, not duplicated.
      const c = await sandbox.addContact({ contact_name: `Chaos Person${id}`, first_name: "Chaos", last_name: `Person${id}`, email: person.email });
      cases.push({ ...person, customerType: "new", kind: "new_known", expect: { status: "synced", contactId: c.contact_id } });
    }
    else if (r < 0.45) cases.push({ ...person, firstName: "Juan", lastName: "Dela Cruz", customerType: "new", kind: "new_same_name", expect: { status: "synced" } });
    else if (r < 0.7) {
      const c = await sandbox.addContact({ contact_name: `Chaos Person${id}`, first_name: "Chaos", last_name: `Person${id}`, email: person.email });
      // The registrant opens the link from the mail: a verified email equal to the contact's links it (issue 11).
      cases.push({ ...person, customerType: "returning", kind: "returning_email", expect: { status: "synced", contactId: c.contact_id } });
    } else if (r < 0.8) {
      await sandbox.addContact({ contact_name: `Chaos  Person${id}`, first_name: "Chaos", last_name: `Person${id}`, email: `old.${id}@example.org` });
      // A name alone never links: it waits for an admin's Confirm link (issue 11).
      cases.push({ ...person, customerType: "returning", kind: "returning_name", expect: { status: "skipped" } });
    } else if (r < 0.9) {
      await sandbox.addContact({ contact_name: `Household ${id}`, email: person.email });
      await sandbox.addContact({ contact_name: `Office ${id}`, email: person.email });
      cases.push({ ...person, customerType: "returning", kind: "ambiguous", expect: { status: "skipped" } });
    } else cases.push({ ...person, customerType: "returning", kind: "not_found", expect: { status: "failed" } });
  }
  // Customers from before automatic sync (no job yet): half already in Zoho, a third of those only as a
  // secondary contact person of a company contact. The admin backfills them during the run.
  const backfill: Case[] = [];
  for (let i = 0; i < Math.max(6, Math.round(d.customers / 10)); i++) {
    const id = `b${i}${tag()}`;
    const person = { firstName: "Older", lastName: `Client${id}`, email: `older.${id}@example.com`, phone: "09171234567", customerType: "new" as const };
    if (i % 2 === 0) backfill.push({ ...person, kind: "backfill_new", expect: { status: "synced" } });
    else if (i % 6 === 1) {
      // A company contact named after the family, the customer only a secondary person: found by the surname
      // search and the contact persons' emails (docs/decisions/013). Zoho's filters cannot find a secondary
      // person's email under an unrelated company name at all: that case is a known limit (README).
      const c = await sandbox.addContact({
        contact_name: `${person.lastName} Family Store`,
        company_name: `${person.lastName} Family Store`,
        contact_persons: [
          { first_name: "Front", last_name: "Desk", email: `desk.${id}@example.com`, is_primary_contact: true },
          { first_name: "Older", last_name: `Client${id}`, email: person.email, is_primary_contact: false },
        ],
      } as Parameters<SandboxControl["addContact"]>[0]);
      backfill.push({ ...person, kind: "backfill_secondary", expect: { status: "synced", contactId: c.contact_id } });
    } else {
      const c = await sandbox.addContact({ contact_name: `Older Client${id}`, first_name: "Older", last_name: `Client${id}`, email: person.email });
      backfill.push({ ...person, kind: "backfill_known", expect: { status: "synced", contactId: c.contact_id } });
    }
  }
  for (const b of backfill)
    await node.pool.query(
      `insert into customers (first_name, last_name, email, phone, delivery_method, created_at) values ($1, $2, $3, $4, 'pickup', now() - interval '400 days')`,
      [b.firstName, b.lastName, b.email, b.phone],
    );
  cases.push(...backfill);
  // One customer whose job kills the worker every time it is claimed.
  const poison: Case = { firstName: "Poison", lastName: "Pill", email: POISON_EMAIL, phone: "09171234567", customerType: "new", kind: "poison", expect: { status: "failed", error: WORKER_STOPPED_MESSAGE } };
  cases.splice(Math.floor(cases.length / 4), 0, poison);
  await enrolAdmin(node.db, ADMIN, d.encryptionKey);
  return { cases, backfill };
}

/** Faults (first matching rule wins): hangs, 5xx, lost replies, 429s, Zoho's failures inside 200, latency. */
export async function everydayFaults(sandbox: SandboxControl) {
  await sandbox.addFault({ path: "/books/v3/contacts", probability: 0.01, timeout: true });
  await sandbox.addFault({ path: "/books/v3/contacts", probability: 0.06, status: 503, code: 1, message: "Service temporarily unavailable" });
  await sandbox.addFault({ path: "/books/v3/contacts", method: "POST", probability: 0.05, status: 500, code: 1, afterEffect: true, message: "Reply lost" });
  await sandbox.addFault({ path: "/books/v3/contacts", probability: 0.04, status: 429, code: 44, message: "Too many requests" });
  await sandbox.addFault({ path: "/books/v3/contacts", probability: 0.02, body200: true, code: 9999, message: "Internal processing error" });
  await sandbox.addFault({ path: "/books/v3/contacts", probability: 0.2, latencyMs: 40 });
}
