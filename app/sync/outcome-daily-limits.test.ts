// Which day a job waits for when a daily limit is met: our own share waits for the next budget day (UTC, or
// ZOHO_DAY_TIMEZONE); Zoho's own code 45 looks again in about an hour, since Zoho's reset time is unknown.
import { describe, expect, it } from "vitest";
import { ZohoError } from "~/zoho/errors";
import { classifyZohoAnswer } from "~/zoho/errors";
import { transition } from "./outcome";

const now = new Date("2026-12-02T10:30:00Z");
const minutes = (t: { job: { scheduledFor?: Date } }) => (t.job.scheduledFor!.getTime() - now.getTime()) / 60_000;

describe("daily limits", () => {
  it("Zoho's own daily limit (code 45) re-checks within the hour and a bit, not at UTC midnight 13½ hours away", () => {
    const zoho = classifyZohoAnswer(429, { code: 45, message: "You have reached the maximum number of API calls allowed per day" })!;
    const t = transition({ kind: "error", error: zoho }, 1, now, 0.5);
    expect(minutes(t)).toBeGreaterThanOrEqual(60);
    expect(minutes(t)).toBeLessThanOrEqual(65);
    expect(t.customer).toMatchObject({ status: "pending", attempts: 1, error: "Waiting: Zoho's daily API limit for the organisation is reached; checking again in about an hour" });
    expect(t.job).toMatchObject({ done: false, attempts: 1 });
  });

  it("our own share used up waits for the next budget day: UTC midnight by default, the configured zone's midnight otherwise", () => {
    const own = new ZohoError("daily_limit", "Today's Zoho sync share (450 calls) is used up", { local: true });
    const utc = transition({ kind: "error", error: own }, 0, now, 0);
    expect(utc.job.scheduledFor!.toISOString()).toBe("2026-12-03T00:00:00.000Z");
    expect(utc.customer.error).toBe("Waiting: today's Zoho API budget is used up; sync resumes tomorrow");
    // Manila (UTC+8): 10:30 UTC is 18:30 there; its next day starts at 16:00 UTC.
    const manila = transition({ kind: "error", error: own }, 0, now, 0, "Asia/Manila");
    expect(manila.job.scheduledFor!.toISOString()).toBe("2026-12-02T16:00:00.000Z");
  });
});
