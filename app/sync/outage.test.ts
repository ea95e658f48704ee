import { describe, expect, it } from "vitest";
import {
  claimHealthProbe,
  claimProbe,
  HEALTH_PROBE_INTERVAL_MS,
  FIRST_PROBE_DELAY_MS,
  isUnavailable,
  MAX_PROBE_DELAY_MS,
  nextOutageState,
  PAUSE_AFTER_JOBS,
  probeDue,
  RUNNING,
  type OutageEvent,
  type OutageState,
} from "./outage";

const t0 = new Date("2026-11-25T10:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
const down = (jobId: string): OutageEvent => ({ kind: "job_unavailable", jobId, error: "Zoho is unavailable: HTTP 503" });
/** `n` different jobs failing in a row: j1, j2, … */
const downs = (n: number, from = 1) => Array.from({ length: n }, (_, i) => down(`j${from + i}`));

function run(events: OutageEvent[], from: OutageState = RUNNING) {
  let state = from;
  const steps = [];
  for (const [i, e] of events.entries()) {
    const s = nextOutageState(state, e, at(i * 1000));
    steps.push(s);
    state = s.state;
  }
  return { state, steps };
}

describe("Zoho outage detection (pause, probe, resume)", () => {
  it.each([
    { name: "one job failing is that job's business", events: [down("a")], paused: false },
    { name: "the same job failing again and again does not pause everyone", events: Array.from({ length: 9 }, () => down("a")), paused: false },
    { name: `${PAUSE_AFTER_JOBS - 1} different jobs failing in a row do not pause yet`, events: downs(PAUSE_AFTER_JOBS - 1), paused: false },
    { name: `${PAUSE_AFTER_JOBS} different jobs failing in a row pause sync`, events: downs(PAUSE_AFTER_JOBS), paused: true },
    { name: "a success in between breaks the streak", events: [...downs(PAUSE_AFTER_JOBS - 1), { kind: "job_ok" }, down("x")], paused: false },
  ] as Array<{ name: string; events: OutageEvent[]; paused: boolean }>)("$name", ({ events, paused }) => {
    expect(run(events).state.paused).toBe(paused);
  });

  it("the pause starts the incident once and gives back the attempts of the jobs that ran into it", () => {
    const n = PAUSE_AFTER_JOBS;
    const { steps, state } = run(downs(n + 1));
    expect(steps.map((s) => s.paused)).toEqual([...Array(n - 1).fill(false), true, false]);
    expect(steps[n - 1].refundJobs).toEqual(downs(n - 1).map((e) => (e as { jobId: string }).jobId));
    expect(state.since).toEqual(at((n - 1) * 1000));
    expect(state.nextProbeAt).toEqual(at((n - 1) * 1000 + FIRST_PROBE_DELAY_MS));
  });

  it("failed probes back off, doubling up to the cap", () => {
    let state = run(downs(PAUSE_AFTER_JOBS)).state;
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      state = nextOutageState(state, { kind: "probe_failed", error: "503" }, t0).state;
      delays.push(state.probeDelayMs);
    }
    expect(delays).toEqual([2, 4, 8, 15, 15, 15].map((m) => m * 60_000));
    expect(Math.max(...delays)).toBe(MAX_PROBE_DELAY_MS);
  });

  it.each([
    { event: { kind: "probe_ok" } as OutageEvent, why: "a probe answered" },
    { event: { kind: "job_ok" } as OutageEvent, why: "a job got through" },
  ])("sync resumes by itself when $why", ({ event }) => {
    const paused = run(downs(PAUSE_AFTER_JOBS)).state;
    const step = nextOutageState(paused, event, at(60_000));
    expect(step).toMatchObject({ resumed: true, state: { paused: false, since: null, streakJobs: [] } });
  });

  it("a probe is due only while paused and once its time has come; claiming it moves the slot", () => {
    const paused = run(downs(PAUSE_AFTER_JOBS)).state;
    expect(probeDue(RUNNING, at(10 * 60_000))).toBe(false);
    expect(probeDue(paused, at(2000))).toBe(false);
    expect(probeDue(paused, paused.nextProbeAt!)).toBe(true);
    expect(probeDue(claimProbe(paused, paused.nextProbeAt!), paused.nextProbeAt!)).toBe(false);
  });

  it.each([
    ["transient", true],
    ["concurrency_limited", true],
    ["rate_limited", false],
    ["invalid_request", false],
    [undefined, false],
  ] as const)("an error of kind %s means Zoho is unavailable: %s", (kind, expected) => {
    expect(isUnavailable(kind)).toBe(expected);
  });

  it("a quiet shop: one failure whose health probe failed too pauses at once, and the streak's other jobs get their attempts back", () => {
    const { state, steps } = run([down("j1"), { kind: "job_unavailable", jobId: "j2", error: "Zoho is unavailable: HTTP 503", confirmed: true }]);
    expect(state.paused).toBe(true);
    expect(steps[1]).toMatchObject({ paused: true, refundJobs: ["j1"] });
    // Unconfirmed, one failure is not an outage.
    expect(run([down("j1")]).state.paused).toBe(false);
  });

  it("a health probe runs at most once a minute while sync runs, never while paused, and the resuming probe counts as one", () => {
    const first = claimHealthProbe(RUNNING, t0);
    expect(first?.nextProbeAt).toEqual(at(HEALTH_PROBE_INTERVAL_MS));
    expect(claimHealthProbe(first!, at(HEALTH_PROBE_INTERVAL_MS - 1))).toBeNull();
    expect(claimHealthProbe(first!, at(HEALTH_PROBE_INTERVAL_MS))).not.toBeNull();
    const paused = run(downs(PAUSE_AFTER_JOBS)).state;
    expect(claimHealthProbe(paused, at(10 * 60_000))).toBeNull();
    const resumed = nextOutageState(paused, { kind: "probe_ok" }, at(60_000));
    expect(resumed).toMatchObject({ resumed: true });
    expect(claimHealthProbe(resumed.state, at(60_000 + HEALTH_PROBE_INTERVAL_MS - 1))).toBeNull();
  });
});
