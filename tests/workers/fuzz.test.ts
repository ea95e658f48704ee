// Generated inputs against the registration steps and the admin endpoints: never a 5xx, nothing
// stored on a rejection, and errors a person can read.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { browser, type Browser } from "./support/browser";
import { signedIn } from "./support/sign-in";
import { freshDatabase, sql } from "./support/database";
import { createCustomerWithJob } from "./support/factories";
import { testEnv } from "./support/worker-env";
import { sandbox } from "./support/zoho-sandbox";

let databaseUrl: string;
let admin: Browser;
let customerId: string;
beforeAll(async () => {
  databaseUrl = await freshDatabase();
  await sandbox().reset();
  admin = await signedIn(testEnv(databaseUrl).env, databaseUrl, "admin");
  customerId = (await createCustomerWithJob(databaseUrl)).customer.id;
});

const nasty = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 80 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ minLength: 200, maxLength: 5000 }),
  fc.constantFrom("' OR 1=1 --", "<script>alert(1)</script>", "${jndi:ldap://x}", "%00", "\u202e\u0000", "Robert'); DROP TABLE customers;--", "𝕌𝕟𝕚𝕔𝕠𝕕𝕖", "  ", ""),
);
const count = async () => ((await sql(databaseUrl, "select (select count(*) from customers)::int + (select count(*) from users)::int as n")) as Array<{ n: number }>)[0].n;

describe("registration step 1 with generated input", () => {
  it("answers 302 or a readable 400/409, never 5xx, and stores nothing until the last step", async () => {
    const before = await count();
    await fc.assert(
      fc.asyncProperty(fc.record({ firstName: nasty, lastName: nasty, email: fc.oneof(nasty, fc.emailAddress()), phone: fc.oneof(nasty, fc.constantFrom("09171234567", "+14155552671")) }, { requiredKeys: [] }), async (fields) => {
        const b = browser(testEnv(databaseUrl).env);
        const res = await b.post("/register", { step: "1", intent: "next", ...(fields as Record<string, string>) });
        expect([302, 400, 409]).toContain(res.status);
        if (res.status === 400) expect(await res.text()).toMatch(/Enter|at most|too long|cannot use|like/);
      }),
      { numRuns: 60 },
    );
    expect(await count()).toBe(before);
  });

  it("unknown steps, intents and extra fields are refused or ignored, never 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(nasty, nasty, fc.dictionary(fc.string({ maxLength: 10 }), nasty, { maxKeys: 5 }), async (step, intent, extra) => {
        const res = await browser(testEnv(databaseUrl).env).post("/register", { ...extra, step, intent });
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 40 },
    );
  });
});

describe("registration step 3 with generated input", () => {
  it("addresses of any shape are accepted or refused with a reason, never 5xx", async () => {
    const b = browser(testEnv(databaseUrl).env);
    await b.post("/register", { step: "1", intent: "next", firstName: "Fuzz", lastName: "Address", email: "fuzz.address@example.com", phone: "09171234567" });
    await b.post("/register", { step: "2", intent: "next", customerType: "new" });
    await fc.assert(
      fc.asyncProperty(
        fc.record({ deliveryMethod: fc.oneof(nasty, fc.constantFrom("delivery", "pickup")), addressLine1: nasty, addressLine2: nasty, city: nasty, province: nasty, postalCode: nasty }),
        async (fields) => {
          const res = await b.post("/register", { step: "3", intent: "next", ...fields });
          expect([302, 400]).toContain(res.status);
        },
      ),
      { numRuns: 40, examples: [[{ deliveryMethod: "delivery", addressLine1: "12\u0000 Rizal", addressLine2: "", city: "Makati", province: "NCR", postalCode: "1200" }]] },
    );
  });
});

describe("admin endpoints with generated input", () => {
  it("the customer actions never answer 5xx and change nothing on bad input", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(nasty, fc.constantFrom("retry", "link", "unlink")), nasty, async (intent, contactId) => {
        const res = await admin.post(`/admin/customers/${customerId}`, { intent, contactId });
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 40 },
    );
  });

  it("the sync API answers 400/404/409 for any id, never 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uuid(), fc.string({ maxLength: 60 }).map(encodeURIComponent)), fc.constantFrom("POST", "DELETE", "GET"), async (id, method) => {
        const res = await admin.api(method, `/api/admin/customers/${id}/zoho-sync`);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(((await res.json()) as { error: string }).error.length).toBeGreaterThan(5);
      }),
      { numRuns: 40 },
    );
  });

  it("list filters from the URL never break the page", async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom("status", "type", "q", "sort", "after", "before", "x"), nasty, { maxKeys: 4 }), async (params) => {
        const res = await admin.get(`/admin/customers?${new URLSearchParams(params as Record<string, string>)}`);
        expect(res.status).toBe(200);
      }),
      { numRuns: 40, examples: [[{ q: "\u0000" }], [{ q: "%_\\", status: "failed" }]] },
    );
  });
});
