import { describe, expect, it } from "vitest";
import { ZohoError } from "~/zoho/errors";
import { MAX_ATTEMPTS, nextBudgetDay, retryDelayMs } from "./backoff";
import { NO_MATCH_MESSAGE, transition, UNCONFIRMED_WAIT_MESSAGE } from "./outcome";

const now = new Date("2026-11-25T10:30:00Z");

describe("sync outcomes (spec flow diagram)", () => {
  it("a single match links the customer and closes the job", () => {
    const t = transition({ kind: "linked", contactId: "9", contactName: "Ana", matchType: "email" }, 0, now, 0.5);
    expect(t.customer).toMatchObject({ status: "synced", contact: { id: "9", matchType: "email" }, error: null });
    expect(t.job.done).toBe(true);
  });
  it("several matches go to review with candidates", () => {
    const t = transition({ kind: "ambiguous", candidates: [{ contactId: "1", contactName: "A", email: null, companyName: null }], reason: "2 match" }, 0, now, 0.5);
    expect(t.customer.status).toBe("skipped");
    expect(t.customer.candidates).toHaveLength(1);
  });
  it("no match fails with the spec's message", () => {
    const t = transition({ kind: "not_found" }, 0, now, 0.5);
    expect(t.customer).toMatchObject({ status: "failed", error: NO_MATCH_MESSAGE });
  });
  it("a transient error schedules a retry with backoff until the third attempt fails", () => {
    const err = new ZohoError("transient", "Zoho is unavailable: HTTP 503");
    const first = transition({ kind: "error", error: err }, 0, now, 0.5);
    expect(first.customer).toMatchObject({ status: "pending", attempts: 1 });
    expect(first.job.scheduledFor!.getTime() - now.getTime()).toBe(retryDelayMs(1, 0.5));
    const second = transition({ kind: "error", error: err }, 1, now, 0.5);
    expect(second.job.scheduledFor!.getTime() - now.getTime()).toBeGreaterThan(retryDelayMs(1, 1));
    const last = transition({ kind: "error", error: err }, MAX_ATTEMPTS - 1, now, 0.5);
    expect(last.customer).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS, error: err.message });
    expect(last.job.done).toBe(true);
  });
  it("a last attempt kept for want of a health probe spends nothing and runs again at the probe's slot", () => {
    const checkAt = new Date(now.getTime() + 42_000);
    const t = transition({ kind: "unconfirmed", error: "Zoho is unavailable: HTTP 503", checkAt }, MAX_ATTEMPTS - 1, now, 0.5);
    expect(t.customer).toMatchObject({ status: "pending", attempts: MAX_ATTEMPTS - 1, error: UNCONFIRMED_WAIT_MESSAGE });
    expect(t.job).toMatchObject({ done: false, attempts: MAX_ATTEMPTS - 1, scheduledFor: checkAt, sendDelayMs: 42_000 });
    expect(t.event.outcome).toBe("waiting_health_check");
  });
  it("a permanent error fails at once", () => {
    const t = transition({ kind: "error", error: new ZohoError("invalid_request", "Zoho rejected the request: bad phone") }, 0, now, 0.5);
    expect(t.customer).toMatchObject({ status: "failed", attempts: 1 });
  });
  it.each(["rate_limited", "concurrency_limited", "daily_limit"] as const)(
    "%s waits without burning an attempt, with a queue message timed for the end of the wait",
    (kind) => {
      const t = transition({ kind: "error", error: new ZohoError(kind, "wait") }, 1, now, 0.5);
      expect(t.customer).toMatchObject({ status: "pending", attempts: 1 });
      expect(t.job).toMatchObject({ done: false, attempts: 1 });
      expect(t.job.scheduledFor!.getTime()).toBeGreaterThan(now.getTime());
      expect(t.job.sendDelayMs).toBe(t.job.scheduledFor!.getTime() - now.getTime());
      expect(t.job.blockedBy).toBeUndefined();
    },
  );
  it.each(["reconnect_needed", "not_connected"] as const)(
    "%s waits without burning an attempt, due at once and sent by the reconnect (no message of its own)",
    (kind) => {
      const t = transition({ kind: "error", error: new ZohoError(kind, "wait") }, 1, now, 0.5);
      expect(t.customer).toMatchObject({ status: "pending", attempts: 1 });
      expect(t.job).toMatchObject({ done: false, attempts: 1, scheduledFor: now, blockedBy: "connection" });
      expect(t.job.sendDelayMs).toBeUndefined();
    },
  );
  it("too many calls in flight at Zoho (1070) waits only seconds", () => {
    const t = transition({ kind: "error", error: new ZohoError("concurrency_limited", "busy") }, 0, now, 0.5);
    expect(t.job.scheduledFor!.getTime() - now.getTime()).toBeLessThanOrEqual(15_000);
    expect(t.job.sendDelayMs).toBe(t.job.scheduledFor!.getTime() - now.getTime());
  });
  it("turned away by our own pace: waits for its slot in line and says when its turn comes", () => {
    const slot = new Date(now.getTime() + 7 * 60_000 + 30_000);
    const error = new ZohoError("rate_limited", "Paused: 80 Zoho calls per minute reached", { local: true });
    const t = transition({ kind: "error", error, retryAt: slot }, 1, now, 0.5);
    expect(t.job).toMatchObject({ done: false, attempts: 1, scheduledFor: slot, sendDelayMs: 450_000 });
    expect(t.customer.error).toBe("Waiting in line: sync is paced to stay within Zoho's per-minute limit; this customer's turn comes in about 8 minutes");
    // Zoho's own 429 has no line to join: a minute or two, jittered.
    const zoho = transition({ kind: "error", error: new ZohoError("rate_limited", "Too many requests") }, 1, now, 0.5);
    expect(zoho.job.sendDelayMs).toBe(90_000);
    expect(zoho.customer.error).toBe("Waiting: Zoho asked us to slow down; retrying in a minute or two");
  });
  it("an exhausted budget waits for the next UTC day", () => {
    const t = transition({ kind: "error", error: new ZohoError("daily_limit", "budget", { local: true }) }, 0, now, 0);
    expect(t.job.scheduledFor).toEqual(new Date("2026-11-26T00:00:00Z"));
    expect(nextBudgetDay(now, 0.999).getTime()).toBeLessThan(Date.parse("2026-11-26T00:10:00Z"));
  });
  it("jitter keeps retries within ±20 % of the exponential schedule", () => {
    expect(retryDelayMs(1, 0)).toBe(96_000);
    expect(retryDelayMs(1, 1)).toBe(144_000);
    expect(retryDelayMs(2, 0.5)).toBe(480_000);
  });
  it("Zoho's concurrency limit waits without burning an attempt and tells the customer why", () => {
    const busy = new ZohoError("concurrency_limited", "You have reached the maximum number of in process requests");
    const t = transition({ kind: "error", error: busy }, 1, now, 0.5);
    expect(t.customer).toMatchObject({ status: "pending", attempts: 1 });
    expect(t.job.attempts).toBe(1);
    expect(t.customer.error).toMatch(/Zoho is busy with other requests/);
  });

  it("while sync is paused for an outage, the customer waits with the reason and keeps its attempts", () => {
    const t = transition({ kind: "paused", error: "Zoho is unavailable: HTTP 503" }, 2, now, 0.5);
    expect(t.customer).toMatchObject({ status: "pending", attempts: 2 });
    expect(t.job).toMatchObject({ done: false, attempts: 2, scheduledFor: now, blockedBy: "outage" });
    expect(t.job.sendDelayMs).toBeUndefined();
    expect(t.event.outcome).toBe("paused_outage");
  });
});
