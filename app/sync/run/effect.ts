// What must follow a committed change, as data (the phases return it; effects.server.ts runs it after the
// commit). A type only, so the phases can name effects without importing what runs them.
export type Effect =
  /** Messages for these jobs onto the queue (`delayMs`: a retry, a wait with a known end or a probe, later). */
  | { kind: "send"; jobIds: string[]; why: string; delayMs?: number }
  /** The customer's sync failed: the webhook once per failure, and the admin digest (app/sync/notify.server.ts). */
  | { kind: "notify_failure"; customerId: string; error: string | null }
  /** The customer waits for an admin's review (skipped, or a possible duplicate): the admin digest. */
  | { kind: "notify_review" }
  /** This run paused sync for an outage: one alert per incident, and the first probe message. */
  | { kind: "outage_started"; jobId: string }
  /** Zoho answered again: close the incident and send every waiting job at once. */
  | { kind: "release_backlog"; why: "resume after outage" }
  /**
   * The job waits, due, for the outage to end or an admin to reconnect; if that happened while this run was
   * settling (the release could not see a job that was still running), it is sent now.
   */
  | { kind: "send_if_unblocked"; jobId: string; blocker: "outage" | "connection" };
