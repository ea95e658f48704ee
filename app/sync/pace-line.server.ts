// Jobs the per-minute pace (ZOHO_CALLS_PER_MINUTE) turns away wait in line (docs/decisions/021-pace-line.md).
// Each takes the next free slot: slots start at the next minute and are one new customer's calls apart
// (60 s × CALLS_PER_SLOT / pace: 1.5 s at 80 calls a minute), so a backlog comes back at the pace's own rate,
// in the order it was turned away, instead of every waiting job retrying every minute or two until it finds
// room. While the line has jobs waiting, a job that is not at its own slot joins the end without trying:
// first come, first served, and calls stay spread at the pace instead of bunching at each minute's start.
// The line's end is when the backlog is done, which is what the dashboard's ETA reads.
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db/client.server";
import { ZohoError } from "~/zoho/errors";
import type { ClaimedJob } from "./jobs/claim.server";

/** A slot is sized for a new customer (an email lookup and a create); a returning one leaves room unused. */
export const CALLS_PER_SLOT = 2;

export const slotWidthMs = (perMinute: number) => Math.ceil((60_000 * CALLS_PER_SLOT) / Math.max(1, perMinute));

/** The next free slot (never in the current minute, whose room is spent), taken atomically. */
export async function takePaceSlot(db: DbOrTx, perMinute: number, now = new Date()): Promise<Date> {
  const nextMinute = new Date((Math.floor(now.getTime() / 60_000) + 1) * 60_000).toISOString();
  const width = slotWidthMs(perMinute);
  // One statement: the row lock taken by ON CONFLICT gives every caller its own slot.
  const result = await db.execute(sql`
    insert into zoho_pace_line (id, next_slot) values (1, ${nextMinute}::timestamptz + ${width} * interval '1 millisecond')
    on conflict (id) do update
      set next_slot = greatest(zoho_pace_line.next_slot, ${nextMinute}::timestamptz) + ${width} * interval '1 millisecond'
    returning next_slot`);
  const nextSlot = new Date((result.rows[0] as { next_slot: string | Date }).next_slot);
  return new Date(nextSlot.getTime() - width);
}

/**
 * When slots are taken ahead of now, only a job at (or past) its own slot goes, and an admin's retry (priority):
 * the admin asked for it now. Either still needs room in the minute, or it takes a slot at the end.
 */
export async function mustJoinLine(db: DbOrTx, job: Pick<ClaimedJob, "paceSlot" | "priority">, now = new Date()): Promise<boolean> {
  if (job.priority > 0) return false;
  if (job.paceSlot && job.paceSlot.getTime() <= now.getTime() + SLOT_EARLY_MS) return false;
  const result = await db.execute(sql`select next_slot from zoho_pace_line where next_slot > ${now.toISOString()}::timestamptz`);
  return result.rows.length > 0;
}

/** A queue message may arrive a little early (the claim allows 5 s): still the job's own turn. */
const SLOT_EARLY_MS = 5_000;

/** The refusal for a job that joins the line without trying (no call made, none counted). */
export const joinLineError = () => new ZohoError("rate_limited", "Joined the line: earlier customers are waiting for the per-minute pace", { local: true });
