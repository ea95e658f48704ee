// Zoho outages as one state machine (pure): when transient failures hit several different jobs in a row,
// sync pauses as a whole instead of spending each customer's attempts; while paused one probe call at a
// time, at growing intervals, decides when to resume. The store (outage-store.server.ts) applies what
// this returns under a row lock, so parallel consumers see one incident, one alert, one probe per slot.

/** Distinct jobs failing transiently in a row before sync pauses (5: random 5xx on a busy day rarely line up). */
export const PAUSE_AFTER_JOBS = 5;
export const FIRST_PROBE_DELAY_MS = 60_000;
export const MAX_PROBE_DELAY_MS = 15 * 60_000;
const PROBE_FACTOR = 2;

export type OutageState = {
  paused: boolean;
  /** Jobs (ids) whose latest run failed transiently, in a row, since the last success. */
  streakJobs: string[];
  /** When sync paused (the incident's start), null while running. */
  since: Date | null;
  nextProbeAt: Date | null;
  probeDelayMs: number;
  lastError: string | null;
};

export const RUNNING: OutageState = { paused: false, streakJobs: [], since: null, nextProbeAt: null, probeDelayMs: FIRST_PROBE_DELAY_MS, lastError: null };

export type OutageEvent =
  | { kind: "job_ok" }
  | { kind: "job_unavailable"; jobId: string; error: string }
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
      if (streakJobs.length < PAUSE_AFTER_JOBS) return step({ ...state, streakJobs, lastError: event.error });
      return step(
        { paused: true, streakJobs: [], since: now, nextProbeAt: new Date(now.getTime() + FIRST_PROBE_DELAY_MS), probeDelayMs: FIRST_PROBE_DELAY_MS, lastError: event.error },
        { paused: true, refundJobs: streakJobs.filter((id) => id !== event.jobId) },
      );
    }
    case "probe_ok":
      return state.paused ? step(RUNNING, { resumed: true }) : step(state);
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

/** The slot a prober claims: nobody else probes until the probe has answered (or timed out). */
export function claimProbe(state: OutageState, now: Date, probeTimeoutMs = 60_000): OutageState {
  return { ...state, nextProbeAt: new Date(now.getTime() + Math.max(probeTimeoutMs, state.probeDelayMs)) };
}

export const OUTAGE_WAIT_MESSAGE = "Waiting: Zoho Books is unavailable; sync resumes by itself when it answers again";
