// One cheap question to Zoho (a one-contact list) to learn whether it is reachable, in two situations
// (docs/decisions/031-waits-that-end.md):
//  - while sync runs, a job's transient failure asks for a health probe (at most one a minute): if the probe
//    fails too, Zoho is down and sync pauses (outage.ts), however few customers there are;
//  - while sync is paused, one caller at a time probes at growing intervals: any answer from Zoho, even "slow
//    down" or "daily limit", means it is reachable, and sync resumes.
// The probe's call is a sync call like any other: counted in the ledger and taking its place in this minute's
// pace first. When our own pace or budget refuses it, no call is made and nothing is learnt.
import type { Db } from "~/db/client.server";
import type { AppEnv } from "~/env.server";
import { log } from "~/log.server";
import { ZohoClient } from "~/zoho/client.server";
import { ZohoError } from "~/zoho/errors";
import { isUnavailable, type HealthVerdict } from "./outage";
import { claimHealthProbeSlot, claimProbeSlot, recordOutageEvent } from "./outage-store.server";

type ProbeDeps = { db: Db; env: AppEnv; fetchImpl?: typeof fetch };

export type ProbeResult = { result: "not_due" } | { result: "ok" } | { result: "failed"; nextProbeInMs: number };

/** What one probe call found: Zoho answered, Zoho is unavailable, or no call was made (our own pace or budget). */
type Answer = { kind: "answered" } | { kind: "unavailable"; error: string } | { kind: "not_made"; error: string };

async function ask(deps: ProbeDeps): Promise<Answer> {
  const client = new ZohoClient({ db: deps.db, env: deps.env, purpose: "sync", fetchImpl: deps.fetchImpl });
  try {
    await client.listContacts({ perPage: 1 });
    return { kind: "answered" };
  } catch (error) {
    if (!(error instanceof ZohoError)) throw error;
    if (error.details.local) return { kind: "not_made", error: error.message };
    if (isUnavailable(error.kind)) return { kind: "unavailable", error: error.message };
    return { kind: "answered" };
  }
}

/** While paused: the probe of this slot, if it is due and nobody else took it. */
export async function probeIfDue(deps: ProbeDeps, now = new Date()): Promise<ProbeResult> {
  if (!(await claimProbeSlot(deps.db, now))) return { result: "not_due" };
  const answer = await ask(deps);
  if (answer.kind !== "answered") {
    // Not made (our pace or budget) counts as not answered: the next slot tries again.
    const error = answer.kind === "not_made" ? `No probe call made: ${answer.error}` : answer.error;
    const step = await recordOutageEvent(deps.db, { kind: "probe_failed", error });
    log("info", "zoho still unavailable", { nextProbeAt: step.state.nextProbeAt, error });
    return { result: "failed", nextProbeInMs: Math.max(0, (step.state.nextProbeAt?.getTime() ?? now.getTime()) - Date.now()) };
  }
  await recordOutageEvent(deps.db, { kind: "probe_ok" });
  log("info", "zoho answered again; sync resumes");
  return { result: "ok" };
}

/** While running: after a transient failure, this minute's health probe (if nobody made one in the last minute). */
export async function probeAfterFailure(deps: ProbeDeps, now = new Date()): Promise<HealthVerdict> {
  if (!(await claimHealthProbeSlot(deps.db, now))) return "not_checked";
  const answer = await ask(deps);
  if (answer.kind === "not_made") return "not_checked";
  log("info", "health probe after a transient failure", { zoho: answer.kind });
  return answer.kind === "unavailable" ? "down" : "up";
}
