// `npm run zoho:conformance` against the sandbox: every probe agrees, the limit probe really met
// Zoho's 1070, and the run leaves no contact behind.
import { describe, expect, it } from "vitest";
import { runConformance } from "./probes";
import { sandboxTarget } from "./sandbox-target";

describe("the conformance run against the sandbox", () => {
  it("agrees on every probe (tokens, dead tokens, filters and variants, duplicate names, upsert, limits, pagination) and cleans up", async () => {
    const { target, control, stop } = await sandboxTarget();
    try {
      const before = (await control.listContacts()).length;
      const { results, cleanup } = await runConformance(target);
      expect(results.filter((r) => r.verdict !== "agrees")).toEqual([]);
      expect(results.length).toBeGreaterThanOrEqual(20);
      expect((await control.calls()).filter((c) => c.code === 1070).length).toBeGreaterThan(0);
      expect(cleanup).toMatch(/^deleted the 3 contacts/);
      expect(await control.listContacts()).toHaveLength(before);
      expect((await control.state()).schemaDrift).toEqual([]);
    } finally {
      await stop();
    }
  });

  it("reports a disagreement when Zoho answers differently", async () => {
    const { target, control, stop } = await sandboxTarget();
    try {
      // A stand-in for a Zoho answering a dead token with another code than the sandbox's 57.
      await control.addFault({ path: "/books/v3/contacts", method: "GET", status: 401, code: 14, message: "Invalid OAuth token.", count: 1 });
      const { results } = await runConformance(target);
      const first = results.find((r) => r.probe === "an invalid access token");
      expect(first).toMatchObject({ verdict: "disagrees", zoho: "HTTP 401 code 14" });
    } finally {
      await stop();
    }
  });
});
