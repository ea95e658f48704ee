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
      // Issue 22's unverified facts are asked too (not skipped): the inactive and duplicate-name probes add 2 contacts.
      for (const probe of ["an access token more than an hour old", "the default list (no filter_by) and inactive contacts", "upsert writes the unique value back on the contact it creates", "upsert creating a contact under an existing display name", "list_contacts sort_order=D"])
        expect(results.find((r) => r.probe === probe), probe).toMatchObject({ verdict: "agrees" });
      expect(cleanup).toMatch(/^deleted the 5 contacts/);
      expect(await control.listContacts()).toHaveLength(before);
      expect((await control.state()).schemaDrift).toEqual([]);
    } finally {
      await stop();
    }
  });

  it("tells a Zoho that does not write the upsert's unique value back from the sandbox that does", async () => {
    const { target, control, stop } = await sandboxTarget();
    try {
      await control.settings({ upsertWritesUniqueValue: false });
      const { results } = await runConformance(target);
      expect(results.find((r) => r.probe === "upsert writes the unique value back on the contact it creates")).toMatchObject({ verdict: "disagrees", zoho: "value not written back" });
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
