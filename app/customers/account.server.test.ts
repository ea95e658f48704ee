import { describe, expect, it } from "vitest";
import { historyLinkStatus } from "./account.server";

describe("what a returning customer is told about linking their order history", () => {
  it.each([
    ["pending", "working", "We're linking your order history"],
    ["syncing", "working", "We're linking your order history"],
    ["synced", "linked", "is linked to this account"],
    ["manual", "linked", "is linked to this account"],
    ["failed", "checking", "Our team will check"],
    ["skipped", "checking", "Our team will check"],
  ] as const)("%s → %s", (status, state, text) => {
    const shown = historyLinkStatus(status);
    expect(shown.state).toBe(state);
    expect(shown.text).toContain(text);
  });

  it("never mentions Zoho, errors or matches", () => {
    for (const status of ["pending", "syncing", "synced", "manual", "failed", "skipped"] as const) {
      expect(historyLinkStatus(status).text).not.toMatch(/zoho|error|match|ambiguous|contact/i);
    }
  });
});
