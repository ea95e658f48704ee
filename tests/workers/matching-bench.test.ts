// The bench's reference set of returning customers (scripts/bench/matching.ts), run against the sandbox:
// the figures `npm run bench` prints hold, and every kind in the seed gets the decision we chose.
import { beforeAll, describe, expect, it } from "vitest";
import { openDb } from "~/db/client.server";
import { parseEnv } from "~/env.server";
import { ZohoClient } from "~/zoho/client.server";
import { benchMatching } from "../../scripts/bench/matching";
import { freshDatabase } from "./support/database";
import { bindings, testEnv } from "./support/worker-env";
import { connectZoho, sandbox } from "./support/zoho-sandbox";

let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await freshDatabase();
});

describe("finding returning customers under Zoho's real filters", () => {
  it("finds every kind in the seed except a secondary person whose surname is not in the contact's name, within 6 calls a lookup", async () => {
    const { env } = testEnv(databaseUrl);
    const handle = openDb(databaseUrl, bindings.TEST_DATABASE_WS_PROXY);
    const bench = await benchMatching({
      sandbox: sandbox(),
      connect: async () => void (await connectZoho(env)),
      client: () => new ZohoClient({ db: handle.db, env: parseEnv(env), purpose: "sync" }),
    });
    await handle.close();
    expect(bench.results.filter((r) => !r.correct).map((r) => r.label)).toEqual(["secondary person's email, surname not in the contact's name"]);
    expect(Math.max(...bench.results.map((r) => r.calls))).toBeLessThanOrEqual(6);
    expect(bench.results.find((r) => r.label === "primary email")?.calls).toBe(1);
    expect(bench.rows[0][1]).toBe("10 of 11 (91 %)");
  });
});
