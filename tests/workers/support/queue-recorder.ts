// Stands in for the Cloudflare Queue binding in workerd tests: records what was sent, fails on demand.
import type { SyncMessage } from "~/context.server";

/** sent: every message's body; delays: its delaySeconds (undefined = at once), in the same order. */
export type RecordingQueue = Queue<SyncMessage> & { sent: SyncMessage[]; delays: Array<number | undefined>; failNext: (n: number) => void };

export function recordingQueue(): RecordingQueue {
  const sent: SyncMessage[] = [];
  const delays: Array<number | undefined> = [];
  let failures = 0;
  const queue = {
    sent,
    delays,
    failNext(n: number) {
      failures = n;
    },
    async send(message: SyncMessage, options?: QueueSendOptions) {
      if (failures > 0) {
        failures--;
        throw new Error("Queue send failed (injected)");
      }
      sent.push(message);
      delays.push(options?.delaySeconds);
    },
    async sendBatch(messages: Iterable<MessageSendRequest<SyncMessage>>) {
      const all = [...messages];
      // As strict as Cloudflare: at most 100 messages per batch.
      if (all.length > 100) throw new Error(`sendBatch of ${all.length} messages (Cloudflare allows 100)`);
      for (const m of all) await queue.send(m.body, m.delaySeconds === undefined ? undefined : { delaySeconds: m.delaySeconds });
    },
  };
  return queue as unknown as RecordingQueue;
}

