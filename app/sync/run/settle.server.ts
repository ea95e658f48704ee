// Phase 3 of a sync run (docs/decisions/027-sync-run-phases.md): SETTLE. What the result means, stored once.
// First the link policy's facts are read and the link decided (app/sync/link-vetting.server.ts; the rules
// are pure, app/sync/link-policy.ts). Then the rows every run shares, each in its own short statement: the
// job's turn in the pace line if our own pace turned it away, and the outage state (Zoho unavailable for
// several jobs in a row pauses sync). Then the transition (pure, app/sync/outcome.ts) and ONE transaction:
// the job (only while this worker holds its lease), the customer, the timeline, a follow-up duplicate check,
// and the ledger's corrections (calls of a run that ended waiting; the minute's pace it did not use). It
// returns the effects that must follow the commit (queue sends, alerts): the consumer runs them
// (app/sync/run/effects.server.ts). An admin's manual link is stored here too (writeAdminLink: it ends the
// open job like a run would). A profile update job (docs/decisions/039) settles here too, without touching the
// customer's sync state (settleUpdateRun), unless Zoho answered that the contact is deleted: the links to it end
// (app/sync/mirror-revet.server.ts, decision 043). Touches: the job store's store verbs, customers,
// zoho_sync_events, the pace line, the outage store, the ledger, the mirror's state (read) and, through the re-vet
// module, a deleted contact's mark. Makes no Zoho call.
import { eq, sql } from "drizzle-orm";
import type { Db, DbOrTx, SqlRunner, Tx } from "~/db/client.server";
import { customers, zohoSyncEvents } from "~/db/schema";
import { log } from "~/log.server";
import { ZohoError } from "~/zoho/errors";
import { countWastedSyncCalls, releaseMinute } from "~/zoho/ledger.server";
import { mirrorComplete, mirrorOn } from "~/zoho/mirror/state";
import { readMirrorState } from "~/zoho/mirror/store.server";
import { MAX_ATTEMPTS, nextBudgetDay } from "../backoff";
import { insertJob } from "../jobs/enqueue.server";
import { closeOpenJob, storeJobOutcome } from "../jobs/store.server";
import { isContactTaken, takenMeanwhile, vetLink } from "../link-vetting.server";
import { contactGoneInZoho } from "../mirror-revet.server";
import { isUnavailable, UNCONFIRMED_MIN_WAIT_MS } from "../outage";
import { recordOutageEvent } from "../outage-store.server";
import { transition, type JobResult, type Transition } from "../outcome";
import { OUTCOMES, type ZohoCandidate } from "../vocabulary";
import { takePaceSlot } from "../pace-line.server";
import type { ProfileOutcome } from "../profile-update";
import { markUpdateFailed, markUpdateNotSent, storeUpdateOutcome } from "../profile-updates.server";
import type { Claimed, Customer, RunDeps } from "./admit.server";
import type { Effect } from "./effect";
import type { WorkResult } from "./work.server";

/** Below every customer's own job: a deferred duplicate check only ever uses what budget is left over. */
export const DUPLICATE_CHECK_PRIORITY = -10;

export type Settled = { stored: boolean; transition: Transition; zohoCalls: number; effects: Effect[] };

export async function settleRun(deps: Pick<RunDeps, "db" | "env" | "worker" | "random">, run: Claimed, workResult: WorkResult): Promise<Settled> {
  const { job } = run;
  if (job.action === "update_contact" || isProfileOutcome(workResult)) return settleUpdateRun(deps, run, workResult);
  // The rows every run may share (the pace line, sync's health) are taken first, each in its own short
  // statement or transaction, so no run holds them while it stores its outcome.
  const outage = await countOutage(deps, run, await waitInLine(deps, await vetted(deps.db, run.customer, workResult, job.id)));
  const now = new Date();
  const random = (deps.random ?? Math.random)();
  // The attempt was counted at claim; the transition decides whether this run really spends it.
  let result = outage.result;
  let t = transition(result, job.attempts - 1, now, random, deps.env.ZOHO_DAY_TIMEZONE);
  let stored: boolean;
  try {
    stored = await deps.db.transaction((tx) => storeRun(tx, deps, run, result, t, now));
  } catch (error) {
    // Another account took the contact at the same moment: the unique index refused the link, and the
    // transaction rolled back. The same run settles again as "already linked elsewhere" (review).
    if (!isContactTaken(error)) throw error;
    result = takenMeanwhile(result);
    t = transition(result, job.attempts - 1, now, random, deps.env.ZOHO_DAY_TIMEZONE);
    stored = await deps.db.transaction((tx) => storeRun(tx, deps, run, result, t, now));
  }
  return { stored, transition: t, zohoCalls: run.client.calls, effects: stored ? effectsOf(run, t, outage) : [] };
}

/** Who may be linked (app/sync/link-policy.ts); reading its facts may fail like any other step of the run. */
async function vetted(db: Db, customer: Customer, result: JobResult, jobId: string): Promise<JobResult> {
  try {
    return await vetLink(db, customer, result);
  } catch (error) {
    if (!(error instanceof ZohoError)) log("error", "sync job failed unexpectedly", { jobId, error });
    return { kind: "error", error };
  }
}

/** Turned away by our own pace: the job waits in line for its slot (app/sync/pace-line.server.ts). */
async function waitInLine(deps: Pick<RunDeps, "db" | "env">, result: JobResult): Promise<JobResult> {
  if (result.kind === "error" && result.error instanceof ZohoError && result.error.kind === "rate_limited" && result.error.details.local)
    return { ...result, retryAt: await takePaceSlot(deps.db, deps.env.ZOHO_CALLS_PER_MINUTE) };
  return result;
}

/**
 * Zoho being down is everyone's problem, not this customer's: a failure whose health probe failed too, or
 * several jobs failing in a row, pause sync (the state machine is app/sync/outage.ts, its store
 * outage-store.server.ts); a job that got an answer ends a streak.
 */
async function countOutage<R extends WorkResult>(deps: Pick<RunDeps, "db">, run: Claimed, result: R): Promise<{ result: R | JobResult; paused: boolean; resumed: boolean }> {
  const r: WorkResult = result;
  // Our own limits (the calls-in-flight slots, app/zoho/in-flight.server.ts) refuse before Zoho is asked: not an outage.
  if (r.kind === "error" && r.error instanceof ZohoError && isUnavailable(r.error.kind) && !r.error.details.local) {
    const message = r.error.message;
    // confirmed: the health probe the work made after this failure failed too: Zoho is down, pause now.
    const step = await recordOutageEvent(deps.db, { kind: "job_unavailable", jobId: run.job.id, error: message, confirmed: r.health === "down" });
    if (step.state.paused) return { result: { kind: "paused", error: message }, paused: step.paused, resumed: run.resumed };
    // A last attempt is spent only when Zoho answered a health probe after this failure: otherwise the failure may
    // be the start of an outage nobody has recognised yet (a probe ran less than a minute ago), and the customer
    // would end failed because Zoho was down. The job runs again when the next probe may, and that run asks.
    if (r.error.kind === "transient" && r.health !== "up" && run.job.attempts >= MAX_ATTEMPTS) {
      const checkAt = new Date(Math.max(step.state.nextProbeAt?.getTime() ?? 0, Date.now() + UNCONFIRMED_MIN_WAIT_MS));
      return { result: { kind: "unconfirmed", error: message, checkAt }, paused: false, resumed: run.resumed };
    }
    return { result, paused: false, resumed: run.resumed };
  }
  // A decision made without asking Zoho (from the mirror, app/zoho/mirror/) says nothing about Zoho's health: it
  // must not end a streak, or an outage would go unrecognised while mirror-decided jobs keep succeeding.
  const askedZoho = r.kind === "error" || run.client.calls > 0;
  if ((run.outageBefore.streakJobs.length > 0 || run.outageBefore.paused) && askedZoho && zohoAnswered(r))
    return { result, paused: false, resumed: (await recordOutageEvent(deps.db, { kind: "job_ok" })).resumed || run.resumed };
  return { result, paused: false, resumed: run.resumed };
}

/**
 * The one transaction: the job (only while this worker holds its lease), the customer, the timeline, the
 * follow-up duplicate check, and the ledger's corrections. Returns whether the outcome was stored.
 */
async function storeRun(tx: Tx, deps: Pick<RunDeps, "worker" | "env">, run: Claimed, result: JobResult, t: Transition, now: Date): Promise<boolean> {
  const { job, client } = run;
  const stored = await storeJobOutcome(tx, job, deps.worker, t, now);
  if (stored) {
    await writeOutcome(tx, run, t, { zohoCalls: client.calls, durationMs: Date.now() - run.startedAt, now });
    if (result.kind === "linked" && result.checkLater)
      await scheduleDuplicateCheck(tx, job.customerId, now, deps.env.ZOHO_DAY_TIMEZONE, mirrorOn(deps.env) && mirrorComplete(await readMirrorState(tx)));
    // Calls of a run that ends waiting did no work: the backlog ETA's calls per job leaves them out.
    if (t.event.outcome.startsWith("waiting_")) await countWastedSyncCalls(tx, client.calls, now, deps.env.ZOHO_DAY_TIMEZONE);
  }
  // The minute's pace the job took for calls it did not make goes back (stored or not).
  if (run.paceTaken) await releaseMinute(tx, run.paceTaken, client.unusedMinute);
  return stored;
}

const zohoAnswered = (r: WorkResult) => r.kind !== "error" || r.error instanceof ZohoError;

/** The customer's side of the outcome, and its line in the timeline. */
async function writeOutcome(
  tx: Pick<Db, "update" | "insert">,
  run: Pick<Claimed, "job">,
  t: Transition,
  meta: { zohoCalls: number; durationMs: number; now: Date },
) {
  const { job } = run;
  const c = t.customer;
  await tx
    .update(customers)
    .set({
      zohoSyncStatus: c.status,
      zohoSyncError: c.error,
      zohoSyncAttempts: c.attempts,
      zohoLastSyncAt: meta.now,
      updatedAt: meta.now,
      ...(c.candidates !== undefined ? { zohoSyncCandidates: c.candidates } : {}),
      ...(c.reviewReason !== undefined ? { zohoReviewReason: c.reviewReason } : {}),
      ...(c.contact
        ? {
            zohoContactId: c.contact.id,
            zohoContactName: c.contact.name,
            zohoMatchType: c.contact.matchType,
            zohoLinkedAt: meta.now,
            zohoLinkBasis: c.contact.basis,
            zohoContactEmail: c.contact.email,
          }
        : {}),
    })
    .where(sql`${customers.id} = ${job.customerId}`);
  await tx.insert(zohoSyncEvents).values({
    customerId: job.customerId,
    jobId: job.id,
    at: meta.now,
    action: job.action,
    outcome: t.event.outcome,
    matchType: t.event.matchType ?? null,
    zohoCalls: meta.zohoCalls,
    error: t.event.error,
    durationMs: meta.durationMs,
    details: c.contact
      ? { contactId: c.contact.id, contactName: c.contact.name, basis: c.contact.basis }
      : c.reviewReason
        ? { reviewReason: c.reviewReason }
        : null,
  });
}

/**
 * A contact created without a live look first (budget pressure, or a mirror without the email;
 * app/sync/create-policy.ts) gets a low-priority check_duplicate job that looks for other contacts with the email:
 * with a complete mirror, due after its next hourly read (the check then reads the mirror: 0 calls); without
 * one, when the next budget day starts (a live search).
 */
export async function scheduleDuplicateCheck(db: SqlRunner, customerId: string, now: Date, dayZone?: string, mirrorReady = false) {
  const scheduledFor = mirrorReady ? new Date(now.getTime() + DUPLICATE_CHECK_AFTER_MIRROR_READ_MS) : nextBudgetDay(now, Math.random(), dayZone);
  await insertJob(db, { customerId, action: "check_duplicate", priority: DUPLICATE_CHECK_PRIORITY, scheduledFor });
}

/**
 * The hourly maintenance reads the mirror's contacts unless they were read in the last 10 minutes, so a read that
 * began after the create has happened within about 70 minutes of it.
 */
export const DUPLICATE_CHECK_AFTER_MIRROR_READ_MS = 75 * 60_000;

function effectsOf(run: Claimed, t: Transition, outage: { paused: boolean; resumed: boolean }): Effect[] {
  const effects: Effect[] = [];
  if (t.job.sendDelayMs !== undefined) effects.push({ kind: "send", jobIds: [run.job.id], why: "timed wait", delayMs: t.job.sendDelayMs });
  if (t.customer.status === "failed") effects.push({ kind: "notify_failure", customerId: run.job.customerId, error: t.customer.error });
  else if (t.customer.status === "skipped" || t.customer.reviewReason === "possible_duplicate") effects.push({ kind: "notify_review" });
  if (outage.paused) effects.push({ kind: "outage_started", jobId: run.job.id });
  if (outage.resumed) effects.push({ kind: "release_backlog", why: "resume after outage" });
  else if (t.job.blockedBy) effects.push({ kind: "send_if_unblocked", jobId: run.job.id, blocker: t.job.blockedBy });
  return effects;
}

// --- A profile update (docs/decisions/039-profile-updates-to-zoho.md) ------------------------------

const isProfileOutcome = (r: WorkResult): r is ProfileOutcome => r.kind === "profile_update" || r.kind === "profile_not_sent";

/**
 * An update job's run: waits, retries and outages as for every job (the same transition of its error), but the
 * customer's sync state is never touched; one transaction stores the job, the update's state (sent, held for
 * review, not sent, or failed after its attempts) and the timeline line (the fields, never their values).
 */
async function settleUpdateRun(deps: Pick<RunDeps, "db" | "env" | "worker" | "random">, run: Claimed, workResult: WorkResult): Promise<Settled> {
  const { job } = run;
  const outage = await countOutage(deps, run, isProfileOutcome(workResult) ? workResult : await waitInLine(deps, workResult));
  const result = outage.result;
  const now = new Date();
  const t: Transition = isProfileOutcome(result) ? updateDone(run, result) : transition(result, job.attempts - 1, now, (deps.random ?? Math.random)(), deps.env.ZOHO_DAY_TIMEZONE);
  const { stored, next } = await deps.db.transaction(async (tx) => {
    const mine = await storeJobOutcome(tx, job, deps.worker, t, now);
    let next: string | null = null;
    let error = t.event.error;
    if (mine) {
      // Zoho says the linked contact is deleted: the links to it end now, as a webhook's would (decision 043).
      if (result.kind === "profile_not_sent" && result.contactGone) {
        const suggestFromMirror = mirrorOn(deps.env) && mirrorComplete(await readMirrorState(tx));
        const { ended } = await contactGoneInZoho(tx, result.contactGone, { suggestFromMirror });
        if (ended) error = `${result.reason}: Zoho Books answered that it was deleted, so the link ended and the customer waits for review`;
      }
      if (result.kind === "profile_update")
        next = await storeUpdateOutcome(
          tx,
          job.customerId,
          { status: result.status, version: result.version, base: result.nextBase, conflicts: result.conflicts, note: keptNote(result.keptHere) },
          now,
        );
      else if (result.kind === "profile_not_sent") await markUpdateNotSent(tx, job.customerId, error ?? result.reason, now);
      else if (t.job.done) await markUpdateFailed(tx, job.customerId, now);
      await tx.insert(zohoSyncEvents).values({
        customerId: job.customerId,
        jobId: job.id,
        at: now,
        action: job.action,
        outcome: t.event.outcome,
        zohoCalls: run.client.calls,
        error,
        durationMs: Date.now() - run.startedAt,
        details: result.kind === "profile_update" ? { fields: result.done, held: result.conflicts.map((c) => c.field), keptHere: result.keptHere } : null,
      });
      if (t.event.outcome.startsWith("waiting_")) await countWastedSyncCalls(tx, run.client.calls, now, deps.env.ZOHO_DAY_TIMEZONE);
    }
    if (run.paceTaken) await releaseMinute(tx, run.paceTaken, run.client.unusedMinute);
    return { stored: mine, next };
  });
  // The customer's sync did not fail: an update that gave up or was held shows on their page and the admin's (the
  // review list), not as a sync failure (the admin digest does not list profile updates yet: README, Known limits).
  const effects = stored ? effectsOf(run, t, outage).filter((e) => e.kind !== "notify_failure" && e.kind !== "notify_review") : [];
  if (next) effects.push({ kind: "send", jobIds: [next], why: "profile edited again" });
  return { stored, transition: t, zohoCalls: run.client.calls, effects };
}

const keptNote = (kept: string[]) => (kept.includes("address") ? "The delivery address stays in the portal: the linked Zoho contact is a company or family contact" : null);

/** The job's side of an update that reached an answer: done, its attempt spent. */
function updateDone(run: Claimed, result: ProfileOutcome): Transition {
  const outcome = result.kind === "profile_not_sent" ? OUTCOMES.profileNotSent : result.status === "sent" ? OUTCOMES.profileSent : OUTCOMES.profileConflict;
  const error = result.kind === "profile_not_sent" ? result.reason : result.status === "conflict" ? "Zoho's copy changed the same field since the last update: not overwritten" : null;
  const c = run.customer;
  return {
    customer: { status: c.zohoSyncStatus, error: c.zohoSyncError, attempts: c.zohoSyncAttempts },
    job: { done: true, attempts: run.job.attempts, lastError: error },
    event: { outcome, error },
  };
}

// --- What an admin decides settles here too -------------------------------------------------------

/** The write of an admin's link (one customer, inside the caller's transaction): closes the open job, logs who did it. */
export async function writeAdminLink(
  tx: DbOrTx,
  customer: Pick<typeof customers.$inferSelect, "id" | "zohoContactId">,
  contact: ZohoCandidate,
  by: { adminId: string; zohoCalls: number; how: "link" | "confirm" | "confirm_all" },
) {
  const customerId = customer.id;
  const now = new Date();
  await closeOpenJob(tx, customerId, "Closed: linked manually by an admin", now);
  await tx
    .update(customers)
    .set({
      zohoSyncStatus: "manual",
      zohoContactId: contact.contactId,
      zohoContactName: contact.contactName,
      zohoContactEmail: contact.email,
      zohoMatchType: "manual",
      zohoLinkBasis: "admin",
      zohoReviewReason: null,
      zohoLinkedAt: now,
      zohoSyncError: null,
      zohoSyncCandidates: null,
      zohoFailureNotifiedAt: null,
      updatedAt: now,
    })
    .where(eq(customers.id, customerId));
  await tx.insert(zohoSyncEvents).values({
    customerId,
    action: by.how === "link" ? "admin_link" : by.how === "confirm" ? "admin_confirm" : "admin_confirm_all",
    outcome: "manual",
    matchType: "manual",
    zohoCalls: by.zohoCalls,
    actorUserId: by.adminId,
    details: { contactId: contact.contactId, contactName: contact.contactName, previousContactId: customer.zohoContactId },
  });
}
