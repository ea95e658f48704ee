// Zoho outages as one state machine (pure). A transient failure makes the run ask Zoho one cheap question (a
// health probe, at most one a minute): when the probe fails too, sync pauses as a whole instead of spending
// each customer's attempts, however few customers there are (docs/decisions/031-waits-that-end.md). Transient
// failures of several different jobs in a row pause it too (for the minute a probe may not run). While paused,
// one probe call at a time, at growing intervals, decides when to resume. The store (outage-store.server.ts)
// applies what this returns under a row lock, so parallel consumers see one incident, one alert, one probe per slot.

/** Distinct jobs failing transiently in a row before sync pauses (5: random 5xx on a busy day rarely line up). */
export const PAUSE_AFTER_JOBS = 5;
export const FIRST_PROBE_DELAY_MS = 60_000;
export const MAX_PROBE_DELAY_MS = 15 * 60_000;
/** While sync runs, a failure may ask for a health probe at most this often. */
export const HEALTH_PROBE_INTERVAL_MS = 60_000;
const PROBE_FACTOR = 2;
/** A last attempt kept for want of a health probe waits at least this long (the probe slot may be free already). */
export const UNCONFIRMED_MIN_WAIT_MS = 5_000;

/** What a health probe after a job's transient failure found ("not_checked": no probe call was made). */
export type HealthVerdict = "down" | "up" | "not_checked";

export type OutageState = {
  paused: boolean;
  /** Jobs (ids) whose latest run failed transiently, in a row, since the last success. */
  streakJobs: string[];
  /** When sync paused (the incident's start), null while running. */
  since: Date | null;
  /** Paused: when the next probe is due. Running: no health probe before this time (null: one may run now). */
  nextProbeAt: Date | null;
  probeDelayMs: number;
  lastError: string | null;
};

export const RUNNING: OutageState = { paused: false, streakJobs: [], since: null, nextProbeAt: null, probeDelayMs: FIRST_PROBE_DELAY_MS, lastError: null };

export type OutageEvent =
  | { kind: "job_ok" }
  /** confirmed: the run's health probe failed too (Zoho is down, not only this job's call). */
  | { kind: "job_unavailable"; jobId: string; error: string; confirmed?: boolean }
  | { kind: "probe_ok" }
  | { kind: "probe_failed"; error: string };

export type OutageStep = {
  state: OutageState;
  /** This event started an incident: alert admins once, give back the streak's attempts. */
  paused: boolean;
  /** This event ended the incident: send the waiting jobs. */
  resumed: boolean;
  /** Jobs whose attempts were spent by this incident before it was recognised. */
  refundJobs: string[];
};

/** Errors that say "Zoho is unavailable", not "this customer failed" (by kind name, so new wait kinds fit). */
export function isUnavailable(kind: string | undefined): boolean {
  return kind === "transient" || kind === "concurrency_limited";
}

export function nextOutageState(state: OutageState, event: OutageEvent, now: Date): OutageStep {
  const step = (s: OutageState, extra: Partial<OutageStep> = {}): OutageStep => ({ state: s, paused: false, resumed: false, refundJobs: [], ...extra });
  switch (event.kind) {
    case "job_ok":
      // A job that got through while paused (a message already in flight) is proof enough Zoho is back.
      return state.paused ? step(RUNNING, { resumed: true }) : step(state.streakJobs.length ? { ...state, streakJobs: [] } : state);
    case "job_unavailable": {
      if (state.paused) return step({ ...state, lastError: event.error });
      const streakJobs = state.streakJobs.includes(event.jobId) ? state.streakJobs : [...state.streakJobs, event.jobId];
      if (streakJobs.length < PAUSE_AFTER_JOBS && !event.confirmed) return step({ ...state, streakJobs, lastError: event.error });
      return step(
        { paused: true, streakJobs: [], since: now, nextProbeAt: new Date(now.getTime() + FIRST_PROBE_DELAY_MS), probeDelayMs: FIRST_PROBE_DELAY_MS, lastError: event.error },
        { paused: true, refundJobs: streakJobs.filter((id) => id !== event.jobId) },
      );
    }
    case "probe_ok":
      // The probe that resumed sync counts as this minute's health probe.
      return state.paused ? step({ ...RUNNING, nextProbeAt: new Date(now.getTime() + HEALTH_PROBE_INTERVAL_MS) }, { resumed: true }) : step(state);
    case "probe_failed": {
      if (!state.paused) return step(state);
      const probeDelayMs = Math.min(state.probeDelayMs * PROBE_FACTOR, MAX_PROBE_DELAY_MS);
      return step({ ...state, probeDelayMs, nextProbeAt: new Date(now.getTime() + probeDelayMs), lastError: event.error });
    }
  }
}

/** While paused, a probe is due at nextProbeAt; whoever claims the slot moves nextProbeAt forward first. */
export function probeDue(state: OutageState, now: Date): boolean {
  return state.paused && !!state.nextProbeAt && state.nextProbeAt.getTime() <= now.getTime();
}

/**
 * While running, a transient failure may ask for a health probe: at most one per HEALTH_PROBE_INTERVAL_MS.
 * Returns the state with the slot taken, or null when a probe ran less than a minute ago (or sync is paused:
 * then the pause's own probes decide).
 */
export function claimHealthProbe(state: OutageState, now: Date): OutageState | null {
  if (state.paused) return null;
  if (state.nextProbeAt && state.nextProbeAt.getTime() > now.getTime()) return null;
  return { ...state, nextProbeAt: new Date(now.getTime() + HEALTH_PROBE_INTERVAL_MS) };
}

/** The slot a prober claims: nobody else probes until the probe has answered (or timed out). */
export function claimProbe(state: OutageState, now: Date, probeTimeoutMs = 60_000): OutageState {
  return { ...state, nextProbeAt: new Date(now.getTime() + Math.max(probeTimeoutMs, state.probeDelayMs)) };
}

export const OUTAGE_WAIT_MESSAGE = "Waiting: Zoho Books is unavailable; sync resumes by itself when it answers again";
