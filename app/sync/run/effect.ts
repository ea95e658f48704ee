// What must follow a committed change, as data (the phases return it; effects.server.ts runs it after the
// commit). A type only, so the phases can name effects without importing what runs them.
export type Effect =
  /** Messages for these jobs onto the queue (`delayMs`: a retry or a probe, later). */
  | { kind: "send"; jobIds: string[]; why: string; delayMs?: number }
  /** The customer's sync failed: the webhook once per failure, and the digest (app/sync/notify.server.ts). */
  | { kind: "notify_failure"; customerId: string; error: string | null }
  /** This run paused sync for an outage: one alert per incident, and the first probe message. */
  | { kind: "outage_started"; jobId: string }
  /** Zoho answered again: close the incident and send the waiting jobs. */
  | { kind: "release_backlog" };
