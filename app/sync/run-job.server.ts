// One job, end to end: claim → Zoho work → store the outcome. The Zoho work never writes to the
// database except the "create attempted" marker that makes creates safe to retry.
import { eq } from "drizzle-orm";
import { sameEmail } from "~/common/email-address";
import type { Db } from "~/db/client.server";
import { customers } from "~/db/schema";
import type { AppEnv } from "~/env.server";
import { log } from "~/log.server";
import { ZohoClient } from "~/zoho/client.server";
import { ZohoError } from "~/zoho/errors";
import type { NewContact, ZohoContact } from "~/zoho/types";
import { findByEmail, findByEmailAnywhere, findMatchingContact } from "./find-contact.server";
import { countWastedSyncCalls, dailyCap, releaseMinute, remainingToday, reserveMinute } from "~/zoho/ledger.server";
import { planCreate } from "./create-policy";
import { checkDuplicate, scheduleDuplicateCheck } from "./duplicate-check.server";
import { claimJob, markCreateAttempted, storeOutcome, type ClaimedJob } from "./jobs.server";
import { isContactTaken, takenMeanwhile, vetLink } from "./link-vetting.server";
import { exactNameMatches, toCandidate } from "./matching";
import { isUnavailable } from "./outage";
import { readOutage, recordOutageEvent } from "./outage-store.server";
import { transition, type JobResult, type MatchType, type Transition } from "./outcome";
import { joinLineError, mustJoinLine, takePaceSlot } from "./pace-line.server";
import { probeIfDue } from "./probe.server";

type Customer = typeof customers.$inferSelect;

/** The process "died" between Zoho's write and ours (chaos and tests): nothing is stored, the lease stays. */
export class SimulatedCrash extends Error {}

export type JobRun =
  | { status: "not_claimed" }
  | { status: "lease_lost" }
  /** Sync is paused (Zoho unavailable): the job was left alone. probeInMs: this run probed and failed. */
  | { status: "paused"; probeInMs: number | null }
  | { status: "done"; transition: Transition; zohoCalls: number; customerId: string; outage: { paused: boolean; resumed: boolean } };

export type RunDeps = {
  db: Db;
  env: AppEnv;
  worker: string;
  fetchImpl?: typeof fetch;
  /** Test/chaos hook: called after Zoho accepted a write and before the database records it (may throw SimulatedCrash). */
  afterZohoWrite?: () => void | Promise<void>;
  /** Test/chaos hook: called once the job is claimed (a poison job throws SimulatedCrash here every time). */
  afterClaim?: (job: ClaimedJob) => void | Promise<void>;
  random?: () => number;
};

export async function runJob(deps: RunDeps, jobId: string): Promise<JobRun> {
  const outageBefore = await readOutage(deps.db);
  let resumed = false;
  if (outageBefore.paused) {
    const probe = await probeIfDue(deps);
    if (probe.result !== "ok") return { status: "paused", probeInMs: probe.result === "failed" ? probe.nextProbeInMs : null };
    resumed = true;
  }
  const job = await claimJob(deps.db, jobId, deps.worker, new Date(), deps.env.SYNC_LEASE_SECONDS * 1000);
  if (!job) return { status: "not_claimed" };
  await deps.afterClaim?.(job);
  const started = Date.now();
  const client = new ZohoClient({ db: deps.db, env: deps.env, purpose: "sync", fetchImpl: deps.fetchImpl });
  const [customer] = await deps.db.select().from(customers).where(eq(customers.id, job.customerId));
  let result: JobResult;
  let paceTaken: Date | null = null;
  try {
    // Others are waiting for the pace: this job takes its turn at the end of the line.
    if (await mustJoinLine(deps.db, job)) throw joinLineError();
    // The calls the job plans, taken from this minute's pace at once: it starts whole or not at all.
    const planned = plannedCalls(job, deps.env);
    paceTaken = await reserveMinute(deps.db, deps.env, "sync", planned);
    client.prepaidMinute(planned);
    result = await doZohoWork(deps, client, job, customer);
    result = await vetLink(deps.db, customer, result); // who may be linked: app/sync/link-policy.ts
  } catch (error) {
    if (error instanceof SimulatedCrash) throw error;
    result = { kind: "error", error };
    if (!(error instanceof ZohoError)) log("error", "sync job failed unexpectedly", { jobId, error });
  }
  if (paceTaken) await releaseMinute(deps.db, paceTaken, client.unusedMinute);
  // Turned away by our own pace: the job waits in line for its slot (app/sync/pace-line.server.ts).
  if (result.kind === "error" && result.error instanceof ZohoError && result.error.kind === "rate_limited" && result.error.details.local)
    result = { ...result, retryAt: await takePaceSlot(deps.db, deps.env.ZOHO_CALLS_PER_MINUTE) };
  // Zoho being down is everyone's problem, not this customer's: several jobs in a row pause sync.
  let paused = false;
  if (result.kind === "error" && result.error instanceof ZohoError && isUnavailable(result.error.kind)) {
    const step = await recordOutageEvent(deps.db, { kind: "job_unavailable", jobId: job.id, error: result.error.message });
    if (step.state.paused) result = { kind: "paused", error: result.error.message };
    paused = step.paused;
  } else if ((outageBefore.streakJobs.length > 0 || outageBefore.paused) && zohoAnswered(result)) {
    resumed = (await recordOutageEvent(deps.db, { kind: "job_ok" })).resumed || resumed;
  }
  const now = new Date();
  const random = (deps.random ?? Math.random)();
  // The attempt was counted at claim; the transition decides whether this run really spends it.
  let t = transition(result, job.attempts - 1, now, random);
  const meta = { action: job.action, zohoCalls: client.calls, durationMs: Date.now() - started, now };
  let stored: boolean;
  try {
    stored = await storeOutcome(deps.db, job, deps.worker, t, meta);
  } catch (error) {
    if (!isContactTaken(error)) throw error;
    t = transition(takenMeanwhile(result), job.attempts - 1, now, random);
    stored = await storeOutcome(deps.db, job, deps.worker, t, meta);
  }
  if (stored && result.kind === "linked" && result.checkLater) await scheduleDuplicateCheck(deps.db, job.customerId, now);
  // Calls of a run that ends waiting did no work: the backlog ETA's calls per job leaves them out.
  if (stored && t.event.outcome.startsWith("waiting_")) await countWastedSyncCalls(deps.db, client.calls, now);
  return stored
    ? { status: "done", transition: t, zohoCalls: client.calls, customerId: job.customerId, outage: { paused, resumed } }
    : { status: "lease_lost" };
}

/** The calls a job needs at the least: a new customer's lookup and create (one upsert with a unique field), else one. */
function plannedCalls(job: ClaimedJob, env: AppEnv) {
  return job.action === "create" && !env.ZOHO_UNIQUE_FIELD ? 2 : 1;
}

const zohoAnswered = (r: JobResult) => r.kind !== "error" || r.error instanceof ZohoError;

async function doZohoWork(deps: RunDeps, client: ZohoClient, job: ClaimedJob, customer: Customer): Promise<JobResult> {
  if (job.action === "check_duplicate") return checkDuplicate(client, customer);
  const returning = job.action === "match" || (job.action === "retry" && customer.isReturningCustomer);
  if (returning) {
    const decision = await findMatchingContact(client, customer);
    if (decision.kind === "one") return linked(decision.contact, decision.by);
    if (decision.kind === "many")
      return {
        kind: "ambiguous",
        candidates: decision.candidates,
        reason: `${decision.candidates.length} Zoho contacts match this customer's ${decision.by}; pick the right one`,
      };
    return { kind: "not_found" };
  }
  return createContact(deps, client, job, customer);
}

function linked(contact: ZohoContact, matchType: MatchType, checkLater = false): JobResult {
  return { kind: "linked", contactId: contact.contact_id, contactName: contact.contact_name, matchType, contact, ...(checkLater ? { checkLater } : {}) };
}

export const displayName = (c: Pick<Customer, "firstName" | "lastName">) => `${c.firstName} ${c.lastName}`.replace(/\s+/g, " ").trim();

export function newContactPayload(customer: Customer, name = displayName(customer)): NewContact {
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

/**
 * Idempotent create (docs/decisions/004-idempotent-create.md):
 *  - with a unique custom field configured, Zoho's upsert on our customer id: one call, no duplicate possible;
 *  - otherwise the attempt is recorded before the call, and a retry after such an attempt looks the
 *    contact up by email first and adopts it instead of creating a second one.
 */
async function createContact(deps: RunDeps, client: ZohoClient, job: ClaimedJob, customer: Customer): Promise<JobResult> {
  const uniqueField = deps.env.ZOHO_UNIQUE_FIELD;
  if (uniqueField) {
    const contact = await client.upsertContact(uniqueField, customer.id, newContactPayload(customer));
    await deps.afterZohoWrite?.();
    return linked(contact, "upsert");
  }
  const plan = planCreate({
    action: job.action,
    createEverAttempted: job.createEverAttempted,
    remainingToday: await remainingToday(deps.db, deps.env, "sync"),
    dailyCap: dailyCap("sync", deps.env),
  });
  if (plan === "look_first") {
    // A fresh registration's lookup is one call; backfill and admin retries/resets (rare, and the likeliest to
    // meet a contact made earlier) search wider: company contacts' persons too.
    const existing = job.action === "create" ? await findByEmail(client, customer.email) : await findByEmailAnywhere(client, customer);
    // After an earlier create attempt the contact found is (likely) ours: adopted; else the person's own.
    if (existing.length === 1) return linked(existing[0], job.createEverAttempted ? "adopted" : "email");
    if (existing.length > 1)
      return {
        kind: "ambiguous",
        candidates: existing.map(toCandidate),
        reason: "Several Zoho contacts already use this email; pick the right one",
      };
  }
  await markCreateAttempted(deps.db, job, deps.worker);
  try {
    const contact = await client.createContact(newContactPayload(customer));
    await deps.afterZohoWrite?.();
    return linked(contact, "created", plan === "create_then_check");
  } catch (error) {
    if (error instanceof ZohoError && error.kind === "duplicate_name") return resolveDuplicateName(deps, client, customer);
    throw error;
  }
}

/**
 * The organisation forbids duplicate display names and one exists (docs/decisions/005-duplicate-names.md):
 * adopt it only if it is this customer (same email); otherwise create under a name made unique by
 * the email, because two people sharing a name is normal and review would only delay a new customer.
 */
async function resolveDuplicateName(deps: RunDeps, client: ZohoClient, customer: Customer): Promise<JobResult> {
  const name = displayName(customer);
  const { items } = await client.listContacts({ contactName: name });
  const same = exactNameMatches(items, name);
  const withEmail = (await Promise.all(same.slice(0, 3).map((c) => client.getContact(c.contact_id)))).filter((c) =>
    [c.email, ...(c.contact_persons ?? []).map((p) => p.email)].some((e) => sameEmail(e, customer.email)),
  );
  if (withEmail.length === 1) return linked(withEmail[0], "adopted");
  try {
    const contact = await client.createContact(newContactPayload(customer, `${name} (${customer.email})`));
    await deps.afterZohoWrite?.();
    return linked(contact, "created");
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
