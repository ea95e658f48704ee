// The one way onto the sync queue: send, then mark the jobs enqueued, and log either way. A message only
// says "look at job X"; if sending fails the job row is still due and the sweep sends it later, so a
// failed send is logged, never thrown. Marking after a successful send may fail too: the sweep then
// sends once more, which the consumer's claim absorbs.
import type { SyncMessage } from "~/context.server";
import { log } from "~/log.server";
import { markEnqueued } from "./jobs/enqueue.server";
import type { SqlRunner } from "~/db/client.server";

export type QueueTarget = { db: SqlRunner; queue?: Queue<SyncMessage> };

/** Cloudflare caps a message delay at 12 hours, and a sendBatch at 100 messages. */
export const MAX_DELAY_MS = 43_200_000;
export const MAX_BATCH = 100;

type Outgoing = { jobId: string; delaySeconds?: number };

/**
 * Returns whether the messages were sent. `why` names the caller in the logs. A delay beyond Cloudflare's 12
 * hours is not sent at all (a message capped at 12 hours would arrive before the job is due and be dropped):
 * the sweep gives the job a timed message in the hour before its turn (app/sync/backlog.server.ts).
 */
export async function sendJobs(target: QueueTarget, jobIds: string[], why: string, opts: { delayMs?: number } = {}): Promise<boolean> {
  if (opts.delayMs !== undefined && opts.delayMs > MAX_DELAY_MS) {
    log("info", "wait longer than a queue delay: the sweep sends the job before its turn", { why, jobIds });
    return false;
  }
  const delaySeconds = opts.delayMs === undefined ? undefined : Math.ceil(opts.delayMs / 1000);
  return send(target, jobIds.map((jobId) => ({ jobId, ...(delaySeconds ? { delaySeconds } : {}) })), why);
}

/** Each job's message timed for its turn (within Cloudflare's 12 hours; later ones are left for a later sweep). */
export async function sendTimed(target: QueueTarget, jobs: Array<{ id: string; at: Date }>, why: string, now = new Date()): Promise<boolean> {
  const timed = jobs.filter((j) => j.at.getTime() - now.getTime() <= MAX_DELAY_MS);
  return send(target, timed.map((j) => ({ jobId: j.id, delaySeconds: Math.max(0, Math.ceil((j.at.getTime() - now.getTime()) / 1000)) || undefined })), why);
}

async function send(target: QueueTarget, messages: Outgoing[], why: string): Promise<boolean> {
  if (messages.length === 0) return true;
  const jobIds = messages.map((m) => m.jobId);
  const queue = target.queue as Queue<SyncMessage> | undefined;
  if (!queue) {
    // A deployment without the producer binding (and the benchmark's "without send" Worker).
    log("warn", "no queue binding; the sweep will pick the jobs up", { why, jobIds });
    return false;
  }
  try {
    if (messages.length === 1) {
      const [m] = messages;
      await queue.send({ jobId: m.jobId } satisfies SyncMessage, m.delaySeconds ? { delaySeconds: m.delaySeconds } : undefined);
    } else
      for (let i = 0; i < messages.length; i += MAX_BATCH)
        await queue.sendBatch(
          messages.slice(i, i + MAX_BATCH).map((m) => ({ body: { jobId: m.jobId } satisfies SyncMessage, ...(m.delaySeconds ? { delaySeconds: m.delaySeconds } : {}) })),
        );
  } catch (error) {
    log("warn", "queue send failed; the sweep will pick the jobs up", { why, jobIds, error });
    return false;
  }
  try {
    await markEnqueued(target.db, jobIds);
  } catch (error) {
    log("warn", "sent to the queue but could not mark the jobs enqueued", { why, jobIds, error });
  }
  return true;
}
