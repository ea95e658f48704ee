// Phase 2 of a sync run (docs/decisions/027-sync-run-phases.md): WORK. Only Zoho calls and pure decisions:
// given the admitted job and its customer, ask Zoho (find the returning customer, create or adopt the new
// one's contact, or look for a duplicate) and say what it answered, as a JobResult. Imports no database
// module (the import-graph check holds it): the Zoho client comes in as ZohoContacts, and the one write a
// create needs before its call (the "create attempted" marker, docs/decisions/004-idempotent-create.md)
// goes through the port `beforeCreate`. Whether the result may be linked is settle's to decide. An admin's
// manual link asks Zoho here too (checkContactForLink).
import { sameEmail } from "~/common/email-address";
import { log } from "~/log.server";
import { contactDoesNotExist, ZohoError } from "~/zoho/errors";
import type { MirrorAnswer, MirrorLookup } from "~/zoho/mirror/types";
import type { NewContact, ZohoContact, ZohoContacts } from "~/zoho/types";
import type { CreatePlan } from "../create-policy";
import { planUpdate, type PendingUpdate, type ProfileOutcome } from "../profile-update";
import { isUnavailable } from "../outage";
import { findByEmail, findByEmailAnywhere, findMatchingContact, zohoCanHoldEmail } from "../find-contact.server";
import { decide, exactNameMatches, toCandidate } from "../matching";
import type { JobResult, MatchType } from "../outcome";
import type { SyncAction } from "../vocabulary";

export const EMAIL_TOO_LONG_REASON =
  "This customer's email is longer than the 100 characters Zoho Books can store or search; nothing was created: link an existing contact or create one in Zoho by hand";

/** The process "died" between Zoho's write and ours (chaos and tests): nothing is stored, the lease stays. */
export class SimulatedCrash extends Error {}

/** What of the customer the work reads (the admitted customer row carries more). */
export type WorkCustomer = {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  isReturningCustomer: boolean;
  zohoContactId: string | null;
  zohoContactName: string | null;
  /** When the current link was made (the free duplicate check compares the mirror's last read with it). */
  zohoLinkedAt?: Date | null;
};

export type WorkTask = {
  job: { id: string; action: SyncAction; createEverAttempted: boolean };
  customer: WorkCustomer;
  /** A create's plan from today's budget (null when the job cannot create, or creates through an upsert). */
  plan: CreatePlan | null;
  /** API name of a unique custom field (ZOHO_UNIQUE_FIELD): creates go through Zoho's upsert. */
  uniqueField?: string;
  /** An update job's edit (null: nothing left to send). */
  update?: PendingUpdate | null;
};

/** What the work found: a sync run's result, or an update job's (app/sync/profile-update.ts). */
export type WorkResult = JobResult | ProfileOutcome;

export type WorkPorts = {
  zoho: ZohoContacts;
  /** Records, and commits, that a create is about to be attempted (before the call). */
  beforeCreate: () => Promise<void>;
  /** Test/chaos hook: called after Zoho accepted a write and before the database records it (may throw SimulatedCrash). */
  afterZohoWrite?: () => void | Promise<void>;
  /**
   * After a transient failure: this minute's health probe (one cheap call), if nobody made one in the last
   * minute (app/sync/probe.server.ts). "down" means Zoho is unavailable, not only this job's call.
   */
  probeHealth?: () => Promise<"down" | "up" | "not_checked">;
  /**
   * The mirror of Zoho's directory (app/zoho/mirror/, docs/decisions/036-zoho-mirror.md): a returning customer
   * found there by email, and a new customer's look-first, need no search. Absent or not usable: live lookups.
   */
  mirror?: MirrorLookup;
};

/** A returning customer's job only looks; a new customer's creates (after looking, as the plan says). */
export const isReturning = (job: Pick<WorkTask["job"], "action">, customer: Pick<WorkCustomer, "isReturningCustomer">) =>
  job.action === "match" || (job.action === "retry" && customer.isReturningCustomer);

/**
 * The work, whatever Zoho answers: an error becomes the result (a SimulatedCrash goes through: the run "died").
 * A transient failure asks Zoho once more, with a health probe, whether it is down for everyone.
 */
export async function doWork(task: WorkTask, ports: WorkPorts): Promise<WorkResult> {
  try {
    if (task.job.action === "update_contact") return await sendProfileUpdate(task, ports);
    return await zohoWork(task, ports);
  } catch (error) {
    if (error instanceof SimulatedCrash) throw error;
    if (!(error instanceof ZohoError)) log("error", "sync job failed unexpectedly", { jobId: task.job.id, error });
    if (error instanceof ZohoError && isUnavailable(error.kind) && ports.probeHealth) return { kind: "error", error, health: await ports.probeHealth() };
    return { kind: "error", error };
  }
}

async function zohoWork(task: WorkTask, ports: WorkPorts): Promise<JobResult> {
  const { job, customer } = task;
  if (job.action === "check_duplicate") return checkDuplicate(ports, customer);
  if (isReturning(job, customer)) {
    // Found in the mirror by email: decided on the mirror's copy (the link policy's rules hold as for a search).
    // Not found there: Zoho is asked what the copy cannot answer (decision 042): the email (a contact added since
    // the copy was read) and contact persons; the surname is searched in the copy.
    const answer = await mirrorAnswer(ports, customer.email);
    const mirrored = answer?.usable ? answer.contacts : null;
    const directory = answer?.usable && ports.mirror ? { namedLike: ports.mirror.namedLike } : undefined;
    const decision = (mirrored?.length ? decide(mirrored, "email") : null) ?? (await findMatchingContact(ports.zoho, customer, directory));
    if (decision.kind === "one") return linked(decision.contact, decision.by);
    if (decision.kind === "many")
      return {
        kind: "ambiguous",
        candidates: decision.candidates,
        reason: `${decision.candidates.length} Zoho contacts match this customer's ${decision.by}; pick the right one`,
      };
    return { kind: "not_found" };
  }
  return createContact(task, ports);
}

function linked(contact: ZohoContact, matchType: MatchType, checkLater = false): JobResult {
  return { kind: "linked", contactId: contact.contact_id, contactName: contact.contact_name, matchType, contact, ...(checkLater ? { checkLater } : {}) };
}

export const displayName = (c: Pick<WorkCustomer, "firstName" | "lastName">) => `${c.firstName} ${c.lastName}`.replace(/\s+/g, " ").trim();

export function newContactPayload(customer: WorkCustomer, name = displayName(customer)): NewContact {
  return {
    contact_name: name.slice(0, 200),
    contact_type: "customer",
    customer_sub_type: "individual",
    contact_persons: [
      {
        first_name: customer.firstName,
        last_name: customer.lastName,
        email: customer.email,
        mobile: customer.phone,
        is_primary_contact: true,
      },
    ],
  };
}

/** How a create writes the contact: Zoho's plain create, or its upsert on our customer id (ZOHO_UNIQUE_FIELD). */
type ContactWriter = { write: (payload: NewContact) => Promise<ZohoContact>; matchType: "created" | "upsert" };

/**
 * Idempotent create (docs/decisions/004-idempotent-create.md). The attempt is recorded before the call; a
 * retry after such an attempt looks for the contact it may have made before writing again:
 *  - with a unique custom field configured, Zoho's upsert on our customer id (one call). A replay first asks
 *    the upsert to update only: that finds our contact when Zoho wrote the unique value on the contact it
 *    created (docs/zoho-facts.md: unverified until the conformance run says so); when Zoho did not, the
 *    replay looks the email up like a plain create's retry, so no second contact is made either way;
 *  - otherwise Zoho's create, looking the email up first after an earlier attempt (or while budget is ample).
 */
async function createContact(task: WorkTask, ports: WorkPorts): Promise<JobResult> {
  const { job, customer, uniqueField } = task;
  const zoho = ports.zoho;
  // Zoho holds and searches at most 100 characters of email: such a customer can neither be looked up nor
  // created with their address, so no create happens blind; an admin links or creates the contact by hand.
  if (!zohoCanHoldEmail(customer.email))
    return { kind: "ambiguous", candidates: [], reason: EMAIL_TOO_LONG_REASON, reviewReason: "email_too_long" };
  const writer: ContactWriter = uniqueField
    ? { write: (payload) => zoho.upsertContact(uniqueField, customer.id, payload), matchType: "upsert" }
    : { write: (payload) => zoho.createContact(payload), matchType: "created" };
  if (uniqueField && job.createEverAttempted) {
    const ours = await updateOurs(zoho, uniqueField, customer);
    if (ours) return linked(ours, "upsert");
  }
  // A fresh registration's look asks a complete, current mirror instead of Zoho (0 calls; refreshed first when the
  // budgets allow, decision 042), whatever today's budget: found there, it is decided as a search's answer would
  // be; not there, the create follows at once (1 call in all) and the free duplicate check after the mirror's next
  // read catches a contact Zoho got meanwhile.
  const mirrored = task.plan && job.action === "create" && !job.createEverAttempted ? await mirrorAnswer(ports, customer.email) : null;
  const fromCopy = !!(mirrored?.usable && mirrored.current);
  if (mirrored?.usable && mirrored.current) {
    if (mirrored.contacts.length === 1) return linked(mirrored.contacts[0], "email");
    if (mirrored.contacts.length > 1)
      return { kind: "ambiguous", candidates: mirrored.contacts.map(toCandidate), reason: "Several Zoho contacts already use this email; pick the right one" };
  } else if (task.plan === "look_first" || (uniqueField && job.createEverAttempted)) {
    // A fresh registration's lookup is one call; backfill and admin retries/resets (rare, and the likeliest to
    // meet a contact made earlier) search wider: company contacts' persons too.
    const existing = job.action === "create" ? await findByEmail(zoho, customer.email) : await findByEmailAnywhere(zoho, customer);
    // After an earlier create attempt the contact found is (likely) ours: adopted; else the person's own.
    if (existing.length === 1) return linked(existing[0], job.createEverAttempted ? "adopted" : "email");
    if (existing.length > 1)
      return {
        kind: "ambiguous",
        candidates: existing.map(toCandidate),
        reason: "Several Zoho contacts already use this email; pick the right one",
      };
  }
  await ports.beforeCreate();
  try {
    const contact = await writer.write(newContactPayload(customer));
    await ports.afterZohoWrite?.();
    // Created without a live look (budget pressure, or the mirror did not have the email): a duplicate check follows.
    return linked(contact, writer.matchType, !uniqueField && (task.plan === "create_then_check" || fromCopy));
  } catch (error) {
    if (error instanceof ZohoError && error.kind === "duplicate_name") return resolveDuplicateName(customer, ports, writer);
    throw error;
  }
}

const mirrorAnswer = async (ports: WorkPorts, email: string): Promise<MirrorAnswer | null> => (ports.mirror ? ports.mirror.byEmail(email) : null);

/** A replayed upsert: update the contact holding our customer id, if Zoho has one; never create here. */
async function updateOurs(zoho: ZohoContacts, uniqueField: string, customer: WorkCustomer): Promise<ZohoContact | null> {
  try {
    return await zoho.upsertContact(uniqueField, customer.id, newContactPayload(customer), { create: false });
  } catch (error) {
    if (error instanceof ZohoError && error.kind === "not_found") return null;
    // Our contact exists under a name made unique earlier: renaming it back would meet the same refusal.
    if (error instanceof ZohoError && error.kind === "duplicate_name") return null;
    throw error;
  }
}

/**
 * The organisation forbids duplicate display names and one exists (docs/decisions/005-duplicate-names.md):
 * adopt it only if it is this customer (same email); otherwise write (create or upsert) under a name made
 * unique by the email, because two people sharing a name is normal and review would only delay a new customer.
 */
async function resolveDuplicateName(customer: WorkCustomer, ports: WorkPorts, writer: ContactWriter): Promise<JobResult> {
  const zoho = ports.zoho;
  const name = displayName(customer);
  const { items } = await zoho.listContacts({ contactName: name });
  const same = exactNameMatches(items, name);
  const withEmail = (await Promise.all(same.slice(0, 3).map((c) => zoho.getContact(c.contact_id)))).filter((c) =>
    [c.email, ...(c.contact_persons ?? []).map((p) => p.email)].some((e) => sameEmail(e, customer.email)),
  );
  if (withEmail.length === 1) return linked(withEmail[0], "adopted");
  try {
    const contact = await writer.write(newContactPayload(customer, `${name} (${customer.email})`));
    await ports.afterZohoWrite?.();
    return linked(contact, writer.matchType);
  } catch (error) {
    if (error instanceof ZohoError && error.kind === "duplicate_name")
      return {
        kind: "ambiguous",
        candidates: same.map(toCandidate),
        reason: `Zoho refuses a second contact named "${name}"; link the right one or rename it in Zoho`,
      };
    throw error;
  }
}

/**
 * The deferred half of a create made without a live look (budget pressure, or a mirror without the email;
 * create-policy.ts): look for other contacts with the customer's email. Free (0 calls) from a complete mirror
 * read after the create; a live search otherwise (the mirror off, incomplete or not read since). It never merges
 * or relinks: a second contact is flagged for an admin.
 */
async function checkDuplicate(ports: WorkPorts, customer: WorkCustomer): Promise<JobResult> {
  // Unlinked since the create: there is nothing of ours to compare; the customer's own state stands.
  if (!customer.zohoContactId) return { kind: "not_found" };
  const seen = ports.mirror && customer.zohoLinkedAt ? await ports.mirror.sameEmailReadAfter(customer.email, customer.zohoLinkedAt) : null;
  const sameEmailContacts = seen?.usable ? seen.contacts : await findByEmail(ports.zoho, customer.email);
  const others = sameEmailContacts.filter((c) => c.contact_id !== customer.zohoContactId);
  const ours = sameEmailContacts.find((c) => c.contact_id === customer.zohoContactId);
  // Ours is listed too (a mirror may hold it under another email by now): "2 contacts use this email" counts it.
  const oursAsCandidate = ours ? toCandidate(ours) : { contactId: customer.zohoContactId, contactName: customer.zohoContactName ?? "", email: customer.email, companyName: null };
  return {
    kind: "duplicate_check",
    contactId: customer.zohoContactId,
    contactName: customer.zohoContactName ?? "",
    duplicates: others.length ? [oursAsCandidate, ...others.map(toCandidate)] : [],
  };
}

/**
 * A linked customer's edit, sent to their contact (docs/decisions/039-profile-updates-to-zoho.md): read the contact
 * (the mirror holds no phones or addresses), plan from what Zoho holds now (pure, profile-update.ts), write the
 * contact (its name and address, contact_name always sent) and the customer's own person (name, mobile). A replay
 * after a crash reads Zoho's copy as already written and writes nothing again.
 */
async function sendProfileUpdate(task: WorkTask, ports: WorkPorts): Promise<ProfileOutcome> {
  const update = task.update;
  if (!update) return { kind: "profile_not_sent", reason: "Nothing left to send" };
  if (update.contactId !== task.customer.zohoContactId)
    return { kind: "profile_not_sent", reason: "The customer's Zoho link changed after the edit: nothing was sent to another contact" };
  let contact: ZohoContact;
  try {
    contact = await ports.zoho.getContact(update.contactId);
  } catch (error) {
    // Deleted in Zoho: said as it is (settle ends the links to it, decision 043); an "Invalid URL" 404 waits like any misconfiguration.
    if (error instanceof ZohoError && error.kind === "not_found")
      return { kind: "profile_not_sent", reason: "The linked Zoho contact no longer exists", ...(contactDoesNotExist(error) ? { contactGone: update.contactId } : {}) };
    throw error;
  }
  const plan = planUpdate(update.base, update.wanted, contact, update.email);
  if (plan.contact) {
    await ports.zoho.updateContact(update.contactId, plan.contact);
    await ports.afterZohoWrite?.();
  }
  if (plan.person) {
    const { contact_person_id, ...person } = plan.person;
    await ports.zoho.updateContactPerson(contact_person_id, { contact_id: update.contactId, ...person });
    await ports.afterZohoWrite?.();
  }
  return {
    kind: "profile_update",
    version: update.version,
    status: plan.conflicts.length ? "conflict" : "sent",
    done: plan.done,
    conflicts: plan.conflicts,
    keptHere: plan.keptHere,
    nextBase: plan.nextBase,
  };
}

/**
 * An admin's manual link, checked with Zoho before it is saved (so a typo'd id is never stored): the contact
 * exists and is a customer. The reason, when it may not be linked, is shown to the admin as it is; `gone` says Zoho
 * answered that the contact does not exist (app/sync/linking.server.ts ends links to it).
 */
export async function checkContactForLink(
  zoho: ZohoContacts,
  contactId: string,
): Promise<{ ok: true; contact: ZohoContact } | { ok: false; reason: string; /** Zoho answered that the contact does not exist (deleted, or never made). */ gone?: boolean }> {
  let contact: ZohoContact;
  try {
    contact = await zoho.getContact(contactId);
  } catch (error) {
    if (error instanceof ZohoError && error.kind === "not_found") return { ok: false, reason: `Zoho Books has no contact with id ${contactId}.`, gone: contactDoesNotExist(error) };
    if (error instanceof ZohoError) return { ok: false, reason: `Could not check the contact with Zoho: ${error.message}` };
    throw error;
  }
  if (contact.contact_type && contact.contact_type !== "customer") return { ok: false, reason: `${contact.contact_name} is a ${contact.contact_type} in Zoho, not a customer.` };
  return { ok: true, contact };
}
