// Zoho's concurrent-call limit, held for every caller of this app together: the queue consumer, customers'
// order history, admins' searches and the outage probe all call Zoho Books, from any number of Worker
// isolates. Zoho refuses more than 10 calls in flight per organisation (5 on the free plan) with HTTP 429,
// code 1070 (docs/zoho-facts.md), and other integrations share that limit, so we hold ourselves to
// ZOHO_MAX_CONCURRENT_CALLS (docs/decisions/029-zoho-calls-in-flight.md).
//
// The count lives in Postgres, the one thing every isolate shares: a row per slot in zoho_call_slots. A call
// takes a free slot (one statement, SKIP LOCKED so callers never queue on each other's rows) just before it is
// sent and gives it back when it has its answer. A slot whose holder died (an isolate killed mid-call) frees
// itself: it is held only until the call's timeout plus a margin. No slot within a few seconds: the call is
// not sent, and the caller gets the same short wait as Zoho's own 1070 (ZohoError "concurrency_limited",
// local), which never spends a sync attempt.
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db/client.server";
import type { AppEnv } from "~/env.server";
import { ZohoError } from "./errors";

type SlotEnv = Pick<AppEnv, "ZOHO_MAX_CONCURRENT_CALLS" | "ZOHO_TIMEOUT_MS">;

/** How long a caller waits for a free slot before it gives up (the job waits seconds and is sent again). */
export const SLOT_WAIT_MS = 3_000;
/** A slot is held at most the call's timeout plus this, so a dead holder's slot frees itself. */
const HOLD_MARGIN_MS = 5_000;

/** Runs `call` (one Zoho Books request) while holding one of the app's ZOHO_MAX_CONCURRENT_CALLS slots. */
export async function withCallSlot<T>(db: DbOrTx, env: SlotEnv, call: () => Promise<T>, waitMs = SLOT_WAIT_MS): Promise<T> {
  const slot = await takeSlot(db, env, waitMs);
  try {
    return await call();
  } finally {
    await releaseSlot(db, slot);
  }
}

type Slot = { slot: number; holder: string };

async function takeSlot(db: DbOrTx, env: SlotEnv, waitMs: number): Promise<Slot> {
  const holder = crypto.randomUUID();
  const limit = env.ZOHO_MAX_CONCURRENT_CALLS;
  const holdMs = env.ZOHO_TIMEOUT_MS + HOLD_MARGIN_MS;
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    const taken = await db.execute(sql`
      update zoho_call_slots s set held_until = now() + ${holdMs}::int * interval '1 millisecond', holder = ${holder}::uuid
      from (select slot from zoho_call_slots where slot <= ${limit}::int and (held_until is null or held_until < now())
            order by slot limit 1 for update skip locked) free
      where s.slot = free.slot
      returning s.slot`);
    if (taken.rows.length) return { slot: Number((taken.rows[0] as { slot: number }).slot), holder };
    // The first time (or after the limit was raised) the slots are made; then the caller tries again at once.
    if (attempt === 0) {
      const made = await db.execute(sql`insert into zoho_call_slots (slot) select generate_series(1, ${limit}::int) on conflict (slot) do nothing returning slot`);
      if (made.rows.length) continue;
    }
    if (Date.now() >= deadline)
      throw new ZohoError("concurrency_limited", `Waiting: ${limit} Zoho calls are already in flight from this app (ZOHO_MAX_CONCURRENT_CALLS)`, { local: true });
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
  }
}

async function releaseSlot(db: DbOrTx, { slot, holder }: Slot) {
  await db.execute(sql`update zoho_call_slots set held_until = null, holder = null where slot = ${slot}::int and holder = ${holder}::uuid`);
}

/** Calls in flight right now (slots held and not expired): for tests and the dashboard. */
export async function callsInFlight(db: DbOrTx): Promise<number> {
  const result = await db.execute(sql`select count(*)::int as n from zoho_call_slots where held_until > now()`);
  return Number((result.rows[0] as { n: number }).n);
}
