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
const MAX_DELAY_SECONDS = 43_200;
export const MAX_BATCH = 100;

/** Returns whether the messages were sent. `why` names the caller in the logs. */
export async function sendJobs(target: QueueTarget, jobIds: string[], why: string, opts: { delayMs?: number } = {}): Promise<boolean> {
  if (jobIds.length === 0) return true;
  const queue = target.queue as Queue<SyncMessage> | undefined;
  if (!queue) {
    // A deployment without the producer binding (and the benchmark's "without send" Worker).
    log("warn", "no queue binding; the sweep will pick the jobs up", { why, jobIds });
    return false;
  }
  const delaySeconds = opts.delayMs === undefined ? undefined : Math.min(Math.ceil(opts.delayMs / 1000), MAX_DELAY_SECONDS);
  try {
    if (jobIds.length === 1) await queue.send({ jobId: jobIds[0] } satisfies SyncMessage, delaySeconds ? { delaySeconds } : undefined);
    else
      for (let i = 0; i < jobIds.length; i += MAX_BATCH)
        await queue.sendBatch(jobIds.slice(i, i + MAX_BATCH).map((jobId) => ({ body: { jobId } satisfies SyncMessage, ...(delaySeconds ? { delaySeconds } : {}) })));
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
