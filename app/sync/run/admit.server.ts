// Phase 1 of a sync run (docs/decisions/027-sync-run-phases.md): ADMIT. May this job spend Zoho calls now,
// and how many? In order: the outage state (while Zoho is down, one probe per slot and nothing else), the job
// (claimed with a lease, its attempt counted, its customer marked syncing), the pace line (jobs already
// waiting go first), this minute's pace for the calls the job plans (it starts whole or not at all), and
// today's budget (whether a new customer's create looks the email up first). An update job also reads the
// customer's pending edit (app/sync/profile-updates.server.ts).
// Touches: the outage store, the job store's claim, the pace line, the ledger, the customer row and their pending
// profile update (read). It
// makes no Zoho call but the outage probe, and stores no outcome: a job turned away here is settled like any
// other (app/sync/run/settle.server.ts). Also answers for batches: how many due jobs today's budget lets go.
import { eq } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import type { Db } from "~/db/client.server";
import { customers } from "~/db/schema";
import type { AppEnv } from "~/env.server";
import { log } from "~/log.server";
import { ZohoClient } from "~/zoho/client.server";
import { ZohoError } from "~/zoho/errors";
import { dailyCap, remainingToday, reserveMinute } from "~/zoho/ledger.server";
import { mirrorLookup } from "~/zoho/mirror/read.server";
import type { MirrorLookup } from "~/zoho/mirror/types";
import { getConnection } from "~/zoho/tokens.server";
import { jobsAffordable, plannedCalls } from "../budget";
import { planCreate, type CreatePlan } from "../create-policy";
import { claimJob, type ClaimedJob } from "../jobs/claim.server";
import type { HealthVerdict, OutageState } from "../outage";
import { readOutage } from "../outage-store.server";
import type { JobResult } from "../outcome";
import { joinLineError, mustJoinLine } from "../pace-line.server";
import { pendingUpdate } from "../profile-updates.server";
import { probeAfterFailure, probeIfDue } from "../probe.server";
import type { Effect } from "./effect";
import { isReturning, type WorkTask } from "./work.server";

export type Customer = typeof customers.$inferSelect;

export type RunDeps = {
  db: Db;
  env: AppEnv;
  worker: string;
  fetchImpl?: typeof fetch;
  /** Test/chaos hook: called once the job is claimed (a poison job throws SimulatedCrash here every time). */
  afterClaim?: (job: ClaimedJob) => void | Promise<void>;
  random?: () => number;
};

/** A claimed job, and what the run knows before its first Zoho call. */
export type Claimed = {
  status: "admitted";
  job: ClaimedJob;
  customer: Customer;
  /** The run's Zoho client: every call counted in the ledger; the minute's pace prepaid for the planned calls. */
  client: ZohoClient;
  startedAt: number;
  /** The outage state before the run (a run that succeeds after failures ends their streak). */
  outageBefore: OutageState;
  /** This run's probe found Zoho back: the waiting jobs are released once the run is settled. */
  resumed: boolean;
  /** The minute whose pace the job took (settle gives back what it did not use). */
  paceTaken: Date | null;
  /** After a transient failure, the work asks whether Zoho is down for everyone (at most one probe a minute). */
  probeHealth: () => Promise<HealthVerdict>;
  /** The mirror of Zoho's directory, read (and refreshed when stale and the budgets allow, from the mirror's share) for the job's customer. */
  mirror: MirrorLookup;
} & (
  /** Go: the work phase runs this. */
  | { task: WorkTask; turnedAway?: undefined }
  /** Turned away before any call (others wait in the pace line, the minute is full, or admission failed): settled as this result. */
  | { task?: undefined; turnedAway: JobResult }
);

export type Admission =
  /**
   * Gone, running elsewhere, not due, out of attempts, or its owner has not confirmed the email. Effects: the
   * backlog's release, when this run's probe found Zoho back (the waiting jobs go whatever became of this one).
   */
  | { status: "not_claimed"; effects: Effect[] }
  /** Sync is paused (Zoho unavailable): the job was left alone. Effects: the next probe message, when this run probed. */
  | { status: "paused"; effects: Effect[] }
  | Claimed;

export async function admitJob(deps: RunDeps, jobId: string): Promise<Admission> {
  const outageBefore = await readOutage(deps.db);
  let resumed = false;
  if (outageBefore.paused) {
    const probe = await probeIfDue(deps);
    // The one message that probed keeps the probe chain going; the others are dropped (their jobs stay due,
    // and resuming sends them all).
    if (probe.result === "failed") return { status: "paused", effects: [{ kind: "send", jobIds: [jobId], why: "outage probe", delayMs: probe.nextProbeInMs }] };
    if (probe.result !== "ok") return { status: "paused", effects: [] };
    resumed = true;
  }
  const job = await claimJob(deps.db, jobId, deps.worker, new Date(), deps.env.SYNC_LEASE_SECONDS * 1000);
  if (!job) return { status: "not_claimed", effects: resumed ? [{ kind: "release_backlog", why: "resume after outage" }] : [] };
  await deps.afterClaim?.(job);
  const startedAt = Date.now();
  const client = new ZohoClient({ db: deps.db, env: deps.env, purpose: "sync", fetchImpl: deps.fetchImpl, subject: { customerId: job.customerId } });
  const [customer] = await deps.db.select().from(customers).where(eq(customers.id, job.customerId));
  const probeHealth = () =>
    probeAfterFailure(deps).catch((error: unknown): HealthVerdict => {
      log("warn", "health probe could not run", { jobId, error });
      return "not_checked";
    });
  const mirror = mirrorLookup({ db: deps.db, env: deps.env, fetchImpl: deps.fetchImpl }, { customerId: job.customerId });
  const claimed = { status: "admitted" as const, job, customer, client, startedAt, outageBefore, resumed, probeHealth, mirror };
  let paceTaken: Date | null = null;
  try {
    // Others are waiting for the pace: this job takes its turn at the end of the line.
    if (await mustJoinLine(deps.db, job)) throw joinLineError();
    // The calls the job plans, taken from this minute's pace at once: it starts whole or not at all.
    const planned = plannedCalls(job.action, deps.env.ZOHO_UNIQUE_FIELD);
    paceTaken = await reserveMinute(deps.db, deps.env, "sync", planned);
    client.prepaidMinute(planned);
    const plan = await createPlan(deps, job, customer);
    // An update job sends the customer's latest edit (several coalesce into it: app/sync/profile-updates.server.ts).
    const update = job.action === "update_contact" ? await pendingUpdate(deps.db, customer) : undefined;
    return { ...claimed, paceTaken, task: { job, customer, plan, uniqueField: deps.env.ZOHO_UNIQUE_FIELD, update } };
  } catch (error) {
    if (!(error instanceof ZohoError)) log("error", "sync job failed unexpectedly", { jobId, error });
    return { ...claimed, paceTaken, turnedAway: { kind: "error", error } };
  }
}

/**
 * Whether a new customer's create looks the email up first (app/sync/create-policy.ts), from today's budget:
 * only asked for jobs that may create without an upsert field.
 */
async function createPlan(deps: RunDeps, job: ClaimedJob, customer: Customer): Promise<CreatePlan | null> {
  if (job.action === "check_duplicate" || job.action === "update_contact" || isReturning(job, customer) || deps.env.ZOHO_UNIQUE_FIELD) return null;
  return planCreate({
    action: job.action,
    createEverAttempted: job.createEverAttempted,
    remainingToday: await remainingToday(deps.db, deps.env, "sync"),
    dailyCap: dailyCap("sync", deps.env),
  });
}

export type BatchAdmission = { today: number; perDay: number };

/** How many jobs of a batch may go today (today's sync budget left, at the worst case per job), and per day after that. */
export async function admitBatch(app: Pick<AppServices, "db" | "env">, now = new Date()): Promise<BatchAdmission> {
  return {
    today: jobsAffordable(await remainingToday(app.db, app.env, "sync", now)),
    perDay: jobsAffordable(dailyCap("sync", app.env)),
  };
}

/** Whether Zoho Books is connected (jobs waiting for a reconnect are sent when it is). */
export async function zohoConnected(db: Db): Promise<boolean> {
  return (await getConnection(db))?.status === "connected";
}
