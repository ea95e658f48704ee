// While sync is paused for a Zoho outage, one caller at a time asks Zoho one cheap question (a
// one-contact list) to learn whether it is back. Any answer from Zoho, even "slow down" or "daily limit",
// means it is reachable: sync resumes and the jobs' own rules take it from there.
import type { Db } from "~/db/client.server";
import type { AppEnv } from "~/env.server";
import { log } from "~/log.server";
import { ZohoClient } from "~/zoho/client.server";
import { ZohoError } from "~/zoho/errors";
import { isUnavailable } from "./outage";
import { claimProbeSlot, recordOutageEvent } from "./outage-store.server";

export type ProbeResult = { result: "not_due" } | { result: "ok" } | { result: "failed"; nextProbeInMs: number };

export async function probeIfDue(deps: { db: Db; env: AppEnv; fetchImpl?: typeof fetch }, now = new Date()): Promise<ProbeResult> {
  if (!(await claimProbeSlot(deps.db, now))) return { result: "not_due" };
  const client = new ZohoClient({ db: deps.db, env: deps.env, purpose: "sync", fetchImpl: deps.fetchImpl });
  try {
    await client.listContacts({ perPage: 1 });
  } catch (error) {
    if (error instanceof ZohoError && isUnavailable(error.kind)) {
      const step = await recordOutageEvent(deps.db, { kind: "probe_failed", error: error.message });
      log("info", "zoho still unavailable", { nextProbeAt: step.state.nextProbeAt, error: error.message });
      return { result: "failed", nextProbeInMs: Math.max(0, (step.state.nextProbeAt?.getTime() ?? now.getTime()) - Date.now()) };
    }
    if (!(error instanceof ZohoError)) throw error;
  }
  await recordOutageEvent(deps.db, { kind: "probe_ok" });
  log("info", "zoho answered again; sync resumes");
  return { result: "ok" };
}
