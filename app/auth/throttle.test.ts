import { describe, expect, it } from "vitest";
import { SIGN_IN_LIMITS, signInGate, type Counts } from "./throttle.server";

const now = new Date("2026-12-02T10:00:00Z");
const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
const none: Counts = { pair: null, address: null, account: null };

describe("what the failures so far allow the next sign-in", () => {
  it.each<[string, Counts, ReturnType<typeof signInGate>]>([
    ["no failures", none, { kind: "open" }],
    ["4 from this address for this account", { ...none, pair: { failures: 4, windowStartedAt: ago(1) } }, { kind: "open" }],
    ["5 from this address for this account: wait for the window's end", { ...none, pair: { failures: 5, windowStartedAt: ago(5) } }, { kind: "wait", retryAfterSeconds: 600 }],
    ["5, but the window is over", { ...none, pair: { failures: 5, windowStartedAt: ago(15) } }, { kind: "open" }],
    ["30 from this address over all accounts", { ...none, address: { failures: 30, windowStartedAt: ago(14) } }, { kind: "wait", retryAfterSeconds: 60 }],
    ["10 against this account from anywhere: prove it", { ...none, account: { failures: 10, windowStartedAt: ago(1) } }, { kind: "prove" }],
    ["both: this address waits first", { pair: { failures: 5, windowStartedAt: ago(1) }, address: null, account: { failures: 12, windowStartedAt: ago(1) } }, { kind: "wait", retryAfterSeconds: 840 }],
    ["10 against the account, but long ago", { ...none, account: { failures: 10, windowStartedAt: ago(16) } }, { kind: "open" }],
  ])("%s", (_name, counts, expected) => {
    expect(signInGate(counts, SIGN_IN_LIMITS, now)).toEqual(expected);
  });
});
