// A customer's order history: Zoho invoices, cached with a TTL, shown "as of" when Zoho is down.
import { describe, expect, it } from "vitest";
import { browser } from "./support/browser";
import { sql } from "./support/database";
import { createUser } from "./support/factories";
import { signedInAsLinkedAna } from "./support/linked-customer";
import { testEnv } from "./support/worker-env";
import { sandbox } from "./support/zoho-sandbox";
import { freshWorldPerTest } from "./support/fresh-world";

let databaseUrl: string;
freshWorldPerTest((url) => (databaseUrl = url));

const linkedCustomer = async (env: ReturnType<typeof testEnv>["env"]) => signedInAsLinkedAna(env, databaseUrl);

const invoiceRows = (html: string) => [...html.matchAll(/<td>(INV-\d+)<\/td>/g)].map((m) => m[1]);

describe("order history", () => {
  it("shows the newest 25 invoices first with a link to older ones, and reads them from Zoho once", async () => {
    const { env } = testEnv(databaseUrl);
    const b = await linkedCustomer(env);
    await sandbox().clearCalls();
    const first = await (await b.get("/account/orders")).text();
    expect(invoiceRows(first)).toHaveLength(25);
    expect(invoiceRows(first)[0]).toBe("INV-000030");
    expect(first).toContain("Older →");
    expect(first).toMatch(/Overdue|Paid|Awaiting payment/);
    const older = await (await b.get("/account/orders?page=2")).text();
    expect(invoiceRows(older)).toHaveLength(5);
    await b.get("/account/orders"); // cached: no new Zoho call
    const calls = (await sandbox().calls()).filter((c) => c.path === "/books/v3/invoices");
    expect(calls).toHaveLength(2);
    const [ledger] = (await sql(databaseUrl, "select invoice, sync from zoho_api_ledger")) as Array<{ invoice: number; sync: number }>;
    expect(ledger).toEqual({ invoice: 2, sync: 0 });
  });

  it("when Zoho is down, shows the cached list with its date; with no cache, says it cannot load them", async () => {
    const { env } = testEnv(databaseUrl);
    const b = await linkedCustomer(env);
    await b.get("/account/orders");
    await sql(databaseUrl, "update zoho_invoice_cache set fetched_at = now() - interval '1 day'");
    await sandbox().addFault({ path: "/books/v3/invoices", status: 503, code: 1, message: "down" });
    const stale = await (await b.get("/account/orders")).text();
    expect(invoiceRows(stale)).toHaveLength(25);
    expect(stale).toContain("Showing your orders as of");
    const none = await (await b.get("/account/orders?page=2")).text();
    expect(none).toContain("We can&#x27;t load your orders right now");
  });

  it("an admin cannot open a customer's order page", async () => {
    const { env } = testEnv(databaseUrl);
    const admin = await createUser(databaseUrl, { role: "admin" });
    const b = browser(env);
    await b.post("/login", { email: admin.email, password: admin.password, redirectTo: "" });
    expect((await b.get("/account/orders")).headers.get("Location")).toBe("/admin");
  });
});
