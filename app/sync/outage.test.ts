import { describe, expect, it } from "vitest";
import {
  claimProbe,
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
    { name: "the same job failing again and again does not pause everyone", events: [down("a"), down("a"), down("a"), down("a")], paused: false },
    { name: `${PAUSE_AFTER_JOBS} different jobs failing in a row pause sync`, events: [down("a"), down("b"), down("c")], paused: true },
    { name: "a success in between breaks the streak", events: [down("a"), down("b"), { kind: "job_ok" }, down("c")], paused: false },
  ] as const)("$name", ({ events, paused }) => {
    expect(run([...events]).state.paused).toBe(paused);
  });

  it("the pause starts the incident once and gives back the attempts of the jobs that ran into it", () => {
    const { steps, state } = run([down("a"), down("b"), down("c"), down("d")]);
    expect(steps.map((s) => s.paused)).toEqual([false, false, true, false]);
    expect(steps[2].refundJobs).toEqual(["a", "b"]);
    expect(state.since).toEqual(at(2000));
    expect(state.nextProbeAt).toEqual(at(2000 + FIRST_PROBE_DELAY_MS));
  });

  it("failed probes back off, doubling up to the cap", () => {
    let state = run([down("a"), down("b"), down("c")]).state;
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
    const paused = run([down("a"), down("b"), down("c")]).state;
    const step = nextOutageState(paused, event, at(60_000));
    expect(step).toMatchObject({ resumed: true, state: { paused: false, since: null, streakJobs: [] } });
  });

  it("a probe is due only while paused and once its time has come; claiming it moves the slot", () => {
    const paused = run([down("a"), down("b"), down("c")]).state;
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
});
