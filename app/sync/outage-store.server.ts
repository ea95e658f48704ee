// The outage state's only reader and writer (zoho_sync_health, one row). Every change runs the pure
// state machine in outage.ts under a row lock, so parallel consumers and the sweep agree on one incident.
import { sql } from "drizzle-orm";
import type { Db, SqlRunner } from "~/db/client.server";
import { refundAttempts } from "./jobs/recover.server";
import { claimHealthProbe, claimProbe, nextOutageState, probeDue, RUNNING, type OutageEvent, type OutageState, type OutageStep } from "./outage";

type HealthRow = {
  paused: boolean;
  streak_jobs: string[] | string;
  paused_since: string | Date | null;
  next_probe_at: string | Date | null;
  probe_delay_ms: number;
  last_error: string | null;
};

const date = (v: string | Date | null) => (v == null ? null : new Date(v));
const toState = (r: HealthRow | undefined): OutageState =>
  r
    ? {
        paused: r.paused,
        streakJobs: typeof r.streak_jobs === "string" ? (JSON.parse(r.streak_jobs) as string[]) : r.streak_jobs,
        since: date(r.paused_since),
        nextProbeAt: date(r.next_probe_at),
        probeDelayMs: Number(r.probe_delay_ms),
        lastError: r.last_error,
      }
    : RUNNING;

const ts = (d: Date | null) => (d ? sql`${d.toISOString()}::timestamptz` : sql`null`);

async function write(db: SqlRunner, s: OutageState) {
  await db.execute(sql`
    insert into zoho_sync_health (id, paused, streak_jobs, paused_since, next_probe_at, probe_delay_ms, last_error, updated_at)
    values (1, ${s.paused}, ${JSON.stringify(s.streakJobs)}::jsonb, ${ts(s.since)}, ${ts(s.nextProbeAt)}, ${s.probeDelayMs}, ${s.lastError}, now())
    on conflict (id) do update set paused = excluded.paused, streak_jobs = excluded.streak_jobs, paused_since = excluded.paused_since,
      next_probe_at = excluded.next_probe_at, probe_delay_ms = excluded.probe_delay_ms, last_error = excluded.last_error, updated_at = now()`);
}

async function readLocked(db: SqlRunner): Promise<OutageState> {
  await db.execute(sql`insert into zoho_sync_health (id) values (1) on conflict (id) do nothing`);
  return toState((await db.execute(sql`select * from zoho_sync_health where id = 1 for update`)).rows[0] as HealthRow | undefined);
}

export async function readOutage(db: SqlRunner): Promise<OutageState> {
  return toState((await db.execute(sql`select * from zoho_sync_health where id = 1`)).rows[0] as HealthRow | undefined);
}

/**
 * Applies one event. When it starts an incident, the attempts that the jobs of the streak spent on it are
 * given back in the same transaction (they failed because of Zoho, not because of their customer).
 */
export async function recordOutageEvent(db: Db, event: OutageEvent, now = new Date()): Promise<OutageStep> {
  return db.transaction(async (tx) => {
    const before = await readLocked(tx);
    const step = nextOutageState(before, event, now);
    if (step.state !== before) await write(tx, step.state);
    if (step.refundJobs.length) await refundAttempts(tx, step.refundJobs, now);
    return step;
  });
}

/** Whoever gets `true` makes the one probe call of this slot; everyone else keeps waiting. */
export async function claimProbeSlot(db: Db, now = new Date()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const state = await readLocked(tx);
    if (!probeDue(state, now)) return false;
    await write(tx, claimProbe(state, now));
    return true;
  });
}

/** While sync runs: whoever gets `true` makes this minute's health probe after a transient failure. */
export async function claimHealthProbeSlot(db: Db, now = new Date()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const claimed = claimHealthProbe(await readLocked(tx), now);
    if (!claimed) return false;
    await write(tx, claimed);
    return true;
  });
}
