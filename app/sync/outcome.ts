// The sync state machine (spec: "Sync flow"): what a job's result means for the customer, the job and
// the timeline. Pure: the consumer loads, calls Zoho, then stores exactly what this returns.
import { ZohoError } from "~/zoho/errors";
import type { ZohoContact } from "~/zoho/types";
import { concurrencyDelayMs, MAX_ATTEMPTS, nextBudgetDay, rateLimitDelayMs, retryDelayMs, zohoDailyRecheckDelayMs } from "./backoff";

import { OUTAGE_WAIT_MESSAGE, type HealthVerdict } from "./outage";
import { OUTCOMES, type AutoMatchType, type LinkBasis, type ReviewReason, type SyncStatus, type ZohoCandidate } from "./vocabulary";

export type MatchType = AutoMatchType;

export type JobResult =
  // contact: Zoho's answer (for the link policy); basis: set by the link policy, null = not proven.
  // checkLater: created without looking first (budget pressure); a duplicate check follows.
  | { kind: "linked"; contactId: string; contactName: string; matchType: MatchType; contact?: ZohoContact; basis?: LinkBasis | null; checkLater?: boolean }
  /** The deferred duplicate check: `duplicates` lists every contact sharing the email when there is more than ours. */
  | { kind: "duplicate_check"; contactId: string; contactName: string; duplicates: ZohoCandidate[] }
  | { kind: "ambiguous"; candidates: ZohoCandidate[]; reason: string; reviewReason?: ReviewReason }
  | { kind: "not_found" }
  /**
   * retryAt: when a job turned away by our own pace has its slot in line (app/sync/pace-line.server.ts).
   * health: what the run's health probe after this failure found: "down" (Zoho is down: sync pauses), "up" (Zoho
   * answered: the failure was this job's), "not_checked" (a probe ran less than a minute ago, or none could be made).
   */
  | { kind: "error"; error: unknown; retryAt?: Date; health?: HealthVerdict }
  /**
   * A transient failure that would have spent the job's last attempt while nobody knows whether Zoho is down (no
   * health probe after it): the attempt is kept and the job runs again when the next probe may (`checkAt`).
   */
  | { kind: "unconfirmed"; error: string; checkAt: Date }
  /** Zoho is unavailable and sync is paused as a whole: this customer waits, no attempt spent. */
  | { kind: "paused"; error: string };

export const possibleDuplicateMessage = (n: number) =>
  `Possible duplicate: ${n} Zoho contacts use this email (one was created while the budget was tight); merge them in Zoho`;

export const UNCONFIRMED_WAIT_MESSAGE =
  "Waiting: Zoho did not answer; before this customer's last attempt, sync checks whether Zoho is down for everyone";

export const NO_MATCH_MESSAGE = "No matching contact found in Zoho Books";

export type Transition = {
  customer: {
    status: SyncStatus;
    error: string | null;
    attempts: number;
    contact?: { id: string; name: string; matchType: MatchType; basis: LinkBasis | null; email: string | null };
    candidates?: ZohoCandidate[] | null;
    /** Why an admin is needed (skipped/failed); undefined = unchanged. */
    reviewReason?: ReviewReason | null;
  };
  /**
   * inLine: scheduledFor is the job's slot in the pace line (its turn, while later jobs wait).
   * sendDelayMs: a wait with a known end gets a queue message timed for it.
   * blockedBy: a wait that ends when Zoho answers again or an admin reconnects: the job stays due, and the
   * resume or the reconnect sends it with every other waiting job (docs/decisions/031-waits-that-end.md).
   */
  job: { done: boolean; attempts: number; scheduledFor?: Date; lastError: string | null; sendDelayMs?: number; inLine?: boolean; blockedBy?: "outage" | "connection" };
  event: { outcome: string; error: string | null; matchType?: MatchType };
};

/** attemptsBefore: attempts already burned by this job before this run. dayZone: the budget day's time zone (ZOHO_DAY_TIMEZONE). */
export function transition(result: JobResult, attemptsBefore: number, now: Date, random: number, dayZone?: string): Transition {
  switch (result.kind) {
    case "linked":
      return {
        customer: {
          status: "synced",
          error: null,
          attempts: attemptsBefore + 1,
          contact: {
            id: result.contactId,
            name: result.contactName,
            matchType: result.matchType,
            basis: result.basis ?? null,
            email: result.contact?.email ?? null,
          },
          candidates: null,
          reviewReason: null,
        },
        job: { done: true, attempts: attemptsBefore + 1, lastError: null },
        event: { outcome: OUTCOMES.synced, error: null, matchType: result.matchType },
      };
    case "ambiguous":
      return {
        customer: {
          status: "skipped",
          error: result.reason,
          attempts: attemptsBefore + 1,
          candidates: result.candidates,
          reviewReason: result.reviewReason ?? "several_matches",
        },
        job: { done: true, attempts: attemptsBefore + 1, lastError: result.reason },
        event: { outcome: OUTCOMES.skipped, error: result.reason },
      };
    case "not_found":
      return {
        customer: { status: "failed", error: NO_MATCH_MESSAGE, attempts: attemptsBefore + 1, candidates: null, reviewReason: "no_match" },
        job: { done: true, attempts: attemptsBefore + 1, lastError: NO_MATCH_MESSAGE },
        event: { outcome: OUTCOMES.failed, error: NO_MATCH_MESSAGE },
      };
    case "error":
      return errorTransition(result.error, attemptsBefore, now, random, result.retryAt, dayZone);
    case "duplicate_check": {
      const flagged = result.duplicates.length > 1;
      const reason = flagged ? possibleDuplicateMessage(result.duplicates.length) : null;
      return {
        customer: {
          status: "synced",
          error: reason,
          attempts: attemptsBefore + 1,
          candidates: flagged ? result.duplicates : null,
          ...(flagged ? { reviewReason: "possible_duplicate" as const } : {}),
        },
        job: { done: true, attempts: attemptsBefore + 1, lastError: reason },
        event: { outcome: flagged ? OUTCOMES.possibleDuplicate : OUTCOMES.synced, error: reason },
      };
    }
    case "unconfirmed":
      return {
        customer: { status: "pending", error: UNCONFIRMED_WAIT_MESSAGE, attempts: attemptsBefore },
        job: { done: false, attempts: attemptsBefore, scheduledFor: result.checkAt, lastError: result.error, sendDelayMs: Math.max(0, result.checkAt.getTime() - now.getTime()) },
        event: { outcome: OUTCOMES.waitingHealthCheck, error: result.error },
      };
    case "paused":
      // Due at once, but nothing sends it while sync is paused; resuming sends every waiting job.
      return {
        customer: { status: "pending", error: OUTAGE_WAIT_MESSAGE, attempts: attemptsBefore },
        job: { done: false, attempts: attemptsBefore, scheduledFor: now, lastError: result.error, blockedBy: "outage" },
        event: { outcome: OUTCOMES.pausedOutage, error: result.error },
      };
  }
}

function errorTransition(error: unknown, attemptsBefore: number, now: Date, random: number, retryAt?: Date, dayZone?: string): Transition {
  const zoho = error instanceof ZohoError ? error : new ZohoError("transient", `Unexpected error: ${(error as Error)?.message ?? String(error)}`);
  const message = zoho.message;
  // Zoho's concurrency limit (code 1070) is a short wait, like its per-minute limit.
  const shortWait = zoho.kind === "rate_limited" || zoho.kind === "concurrency_limited";
  if (zoho.isWait || shortWait) {
    // Waiting is not failing: no attempt burned, the customer stays pending with the reason shown.
    // Waiting for an admin to reconnect: due at once, sent with every other waiting job when they do.
    const forConnection = zoho.kind === "reconnect_needed" || zoho.kind === "not_connected";
    const at =
      zoho.kind === "daily_limit"
        ? // Our own share: its next budget day. Zoho's code 45: its reset time is unknown, so look again hourly.
          zoho.details.local
          ? nextBudgetDay(now, random, dayZone)
          : new Date(now.getTime() + zohoDailyRecheckDelayMs(random))
        : zoho.kind === "rate_limited"
          ? (retryAt ?? new Date(now.getTime() + rateLimitDelayMs(random)))
          : zoho.kind === "concurrency_limited"
            ? new Date(now.getTime() + concurrencyDelayMs(random))
            : now;
    const sendDelayMs = forConnection ? undefined : at.getTime() - now.getTime();
    const inLine = zoho.kind === "rate_limited" && retryAt !== undefined;
    const reason = inLine ? paceWaitReason(at.getTime() - now.getTime()) : waitReason(zoho);
    return {
      customer: { status: "pending", error: reason, attempts: attemptsBefore },
      job: {
        done: false,
        attempts: attemptsBefore,
        scheduledFor: at,
        lastError: message,
        ...(sendDelayMs !== undefined ? { sendDelayMs } : {}),
        ...(inLine ? { inLine } : {}),
        ...(forConnection ? { blockedBy: "connection" as const } : {}),
      },
      event: { outcome: `waiting_${zoho.kind}`, error: message },
    };
  }
  const attempts = attemptsBefore + 1;
  if (zoho.isTransient && attempts < MAX_ATTEMPTS) {
    const delay = retryDelayMs(attempts, random);
    return {
      customer: { status: "pending", error: `Attempt ${attempts} of ${MAX_ATTEMPTS} failed: ${message}`, attempts },
      job: { done: false, attempts, scheduledFor: new Date(now.getTime() + delay), lastError: message, sendDelayMs: delay },
      event: { outcome: OUTCOMES.retryScheduled, error: message },
    };
  }
  return {
    customer: { status: "failed", error: message, attempts, reviewReason: "sync_error" },
    job: { done: true, attempts, lastError: message },
    event: { outcome: OUTCOMES.failed, error: message },
  };
}

/** Turned away by our own pace: the customer waits in line for a slot (app/sync/pace-line.server.ts). */
function paceWaitReason(waitMs: number) {
  const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
  return `Waiting in line: sync is paced to stay within Zoho's per-minute limit; this customer's turn comes in about ${minutes} minute${minutes === 1 ? "" : "s"}`;
}

function waitReason(error: ZohoError) {
  switch (error.kind) {
    case "daily_limit":
      return error.details.local
        ? "Waiting: today's Zoho API budget is used up; sync resumes tomorrow"
        : "Waiting: Zoho's daily API limit for the organisation is reached; checking again in about an hour";
    case "rate_limited":
      return "Waiting: Zoho asked us to slow down; retrying in a minute or two";
    case "concurrency_limited":
      return "Waiting: Zoho is busy with other requests for the organisation; retrying in a few seconds";
    case "not_connected":
      return "Waiting: Zoho Books is not connected yet";
    default:
      return "Waiting: Zoho Books must be reconnected by an admin";
  }
}
