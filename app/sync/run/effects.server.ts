// What must follow a committed change, and only then: queue sends, alerts, the failure webhook and the admin
// digest, the backlog's release after an outage. The phases return effects as data (./effect.ts); the consumer runs them once the
// transaction is committed, in the order given. A failed queue send is logged, never thrown (the job row
// stays due for the sweep); anything else that fails throws, and the consumer retries the message.
import { raiseIncident } from "~/alerts/alerts.server";
import { formatDateTime } from "~/common/format";
import type { AppServices } from "~/context.server";
import { log } from "~/log.server";
import { resumeAfterOutage } from "../backlog.server";
import { notifyFailure, notifyReview } from "../notify.server";
import { FIRST_PROBE_DELAY_MS } from "../outage";
import { readOutage } from "../outage-store.server";
import { sendJobs } from "../send.server";
import { zohoConnected } from "./admit.server";
import type { Effect } from "./effect";

export type { Effect };

export async function runEffects(app: AppServices, effects: Effect[]) {
  for (const effect of effects) {
    switch (effect.kind) {
      case "send":
        await sendJobs(app, effect.jobIds, effect.why, effect.delayMs === undefined ? {} : { delayMs: effect.delayMs });
        break;
      case "notify_failure":
        await notifyFailure(app, effect.customerId, effect.error);
        break;
      case "outage_started":
        await outageStarted(app, effect.jobId);
        break;
      case "notify_review":
        await notifyReview(app);
        break;
      case "release_backlog":
        await resumeAfterOutage(app);
        break;
      case "send_if_unblocked":
        if (await unblocked(app, effect.blocker)) await sendJobs(app, [effect.jobId], `${effect.blocker === "outage" ? "resume after outage" : "reconnect"} (settled late)`);
        break;
    }
  }
}

async function unblocked(app: AppServices, blocker: "outage" | "connection") {
  if (blocker === "outage") return !(await readOutage(app.db)).paused;
  return zohoConnected(app.db);
}

/** One alert per incident (only the run that paused sync gets here), and the first probe message. */
async function outageStarted(app: AppServices, jobId: string) {
  const state = await readOutage(app.db);
  log("warn", "zoho unavailable: sync paused", { since: state.since, error: state.lastError });
  // One alert per incident (webhook and admins' mail); resumeAfterOutage (app/sync/backlog.server.ts) closes it when Zoho answers again.
  await raiseIncident(
    app,
    "zoho_unavailable",
    `Zoho Books unavailable since ${formatDateTime(state.since)} (${state.lastError ?? "no answer"}). Sync is paused and resumes by itself when Zoho answers; no customer is failed because of it.`,
  );
  await sendJobs(app, [jobId], "outage probe", { delayMs: FIRST_PROBE_DELAY_MS });
}
