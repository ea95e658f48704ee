// Reconciliation (issue 20 item 6): what differs between linked customers and their Zoho contacts, computed from
// the mirror (no Zoho call): each kind appears when the mirror shows it and leaves when it no longer does; the
// page filters and pages it, the CSV holds the same rows, the dashboard counts them and the admin digest says so.
// The mirror's rows are written here as its reads would store them (the reads have their own tests).
import { mailsTo } from "@tools/local-stack/mail-inbox";
import { describe, expect, it } from "vitest";
import { sendFailureDigest } from "~/alerts/alerts.server";
import { createAppServices } from "~/context.server";
import { runMaintenance } from "~/maintenance/hourly.server";
import { reconciliationCounts, reconciliationCsv, reconciliationPage } from "~/zoho/mirror/reconciliation.server";
import { sql, testDb } from "./support/database";
import { createCustomerWithJob } from "./support/factories";
import { freshWorldPerTest } from "./support/fresh-world";
import { signedIn } from "./support/sign-in";
import { bindings, testEnv } from "./support/worker-env";
import { sandbox } from "./support/zoho-sandbox";

let databaseUrl: string;
freshWorldPerTest((url) => (databaseUrl = url));

const mirrorEnv = (vars: Record<string, string> = {}) => testEnv(databaseUrl, { MIRROR_FULL_READ_DAILY_CALLS: "100", ...vars }).env;

/** The mirror's first full read done (or not): its state row as the read leaves it. */
async function mirrorState(complete: boolean) {
  await sql(databaseUrl, "insert into zoho_mirror_state (id) values (1) on conflict (id) do nothing");
  await sql(
    databaseUrl,
    complete
      ? "update zoho_mirror_state set full_read_mark = now(), full_read_done_at = now(), contacts_watermark = now(), contacts_refreshed_at = now(), full_read_phase = 'invoices'"
      : "update zoho_mirror_state set full_read_mark = now(), full_read_done_at = null, contacts_watermark = null, full_read_phase = 'contacts', full_read_page = 3",
  );
}

async function mirrorContact(id: string, email: string, status = "active") {
  await sql(
    databaseUrl,
    `insert into zoho_mirror_contacts (contact_id, name, email, status, contact_type, last_modified_time) values ($1, $2, $3, $4, 'customer', now())
     on conflict (contact_id) do update set email = excluded.email, status = excluded.status, deleted_at = null`,
    [id, `Contact ${id}`, email, status],
  );
}

/** A customer linked to `contactId`, as a sync would leave them. */
async function linked(contactId: string, email: string) {
  const { customer } = await createCustomerWithJob(databaseUrl, { email, lastName: `Linked${contactId}` });
  await sql(databaseUrl, "update customers set zoho_sync_status = 'synced', zoho_contact_id = $2, zoho_contact_name = $3, zoho_link_basis = 'created' where id = $1", [
    customer.id,
    contactId,
    `Contact ${contactId}`,
  ]);
  return customer;
}

async function counts(opts: { on?: boolean; complete?: boolean } = {}) {
  const { db, close } = testDb(databaseUrl);
  try {
    return await reconciliationCounts(db, { on: opts.on ?? true, complete: opts.complete ?? true });
  } finally {
    await close();
  }
}

const nonZero = (c: Record<string, number> | null) => Object.fromEntries(Object.entries(c ?? {}).filter(([, n]) => n > 0));

describe("the differences, kind by kind", () => {
  it("each kind appears when the mirror shows it and leaves when it no longer does", async () => {
    await mirrorState(true);
    await mirrorContact("9001", "ana@shoppers.example");
    const ana = await linked("9001", "Ana@Shoppers.example ");
    // Nothing differs: the contact is active, has her email (any case, trimmed) and no twin.
    expect(nonZero(await counts())).toEqual({});

    await mirrorContact("9001", "ana@shoppers.example", "inactive"); // made inactive, or merged into another
    expect(nonZero(await counts())).toEqual({ inactive_contact: 1 });
    await mirrorContact("9001", "ana@shoppers.example", "active");
    expect(nonZero(await counts())).toEqual({});

    await sql(databaseUrl, "update zoho_mirror_contacts set deleted_at = now() where contact_id = '9001'");
    expect(nonZero(await counts())).toEqual({ deleted_contact: 1 });
    await mirrorContact("9001", "ana@shoppers.example");

    await mirrorContact("9001", "ana.work@office.example");
    expect(nonZero(await counts())).toEqual({ email_differs: 1 });
    await mirrorContact("9001", "ana@shoppers.example");

    await mirrorContact("9002", "ana@shoppers.example"); // a second active contact with her email
    expect(nonZero(await counts())).toEqual({ possible_duplicate: 1 });
    await mirrorContact("9002", "ana@shoppers.example", "inactive"); // merged away in Zoho
    expect(nonZero(await counts())).toEqual({});

    // A linked contact Zoho's directory does not have: known only once the mirror is complete.
    await sql(databaseUrl, "delete from zoho_mirror_contacts where contact_id = '9001'");
    expect(nonZero(await counts())).toEqual({ missing_in_zoho: 1 });
    expect(nonZero(await counts({ complete: false }))).toEqual({});
    await mirrorContact("9001", "ana@shoppers.example");
    expect(nonZero(await counts())).toEqual({});

    // An unlinked customer never differs; with the mirror off there is nothing to compare.
    await sql(databaseUrl, "update customers set zoho_contact_id = null where id = $1", [ana.id]);
    await sql(databaseUrl, "delete from zoho_mirror_contacts where contact_id = '9001'");
    expect(nonZero(await counts())).toEqual({});
    expect(await counts({ on: false })).toBeNull();
  });
});

describe("the page, the CSV and the dashboard", () => {
  async function world() {
    await mirrorState(true);
    await mirrorContact("7001", "bea@shoppers.example", "inactive");
    await linked("7001", "bea@shoppers.example");
    await mirrorContact("7002", "=cmd@evil.example");
    await linked("7002", "carl@shoppers.example");
    await linked("7003", "dina@shoppers.example"); // not in the mirror
    await mirrorContact("7004", "eve@shoppers.example");
    await mirrorContact("7005", "eve@shoppers.example");
    await linked("7004", "eve@shoppers.example");
  }

  it("a staff admin sees every difference, filters by kind, downloads the same rows as CSV, and the dashboard counts them", async () => {
    const env = mirrorEnv();
    await world();
    const staff = await signedIn(env, databaseUrl, "admin", "staff");
    const page = await (await staff.get("/admin/reconciliation")).text();
    for (const who of ["bea@shoppers.example", "carl@shoppers.example", "dina@shoppers.example", "eve@shoppers.example"]) expect(page).toContain(who);
    expect(page).toContain("Linked contact inactive in Zoho (made inactive, or merged into another)");
    expect(page).toContain("Linked contact not in Zoho&#x27;s directory");

    const filtered = await (await staff.get("/admin/reconciliation?kind=email_differs")).text();
    expect(filtered).toContain("carl@shoppers.example");
    expect(filtered).not.toContain("bea@shoppers.example");
    expect(filtered).toContain("Zoho&#x27;s primary email differs from the customer&#x27;s (1)");

    const csv = await staff.get("/admin/reconciliation.csv?kind=email_differs");
    expect(csv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("Content-Disposition")).toMatch(/^attachment; filename="reconciliation-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('"email_differs"');
    expect(lines[1]).toContain("\"'=cmd@evil.example\""); // a spreadsheet formula is neutralised
    expect((await (await staff.get("/admin/reconciliation.csv")).text()).trim().split("\r\n")).toHaveLength(5);

    const dashboard = await (await staff.get("/admin")).text();
    expect(dashboard).toContain("4 differences to look at");
    expect(dashboard).toContain('href="/admin/reconciliation?kind=missing_in_zoho"');
  });

  it("the dashboard reads the counts the hourly maintenance stored (one scan an hour), the page stays current", async () => {
    const env = mirrorEnv();
    await world();
    const app = createAppServices(env);
    try {
      await runMaintenance(app);
    } finally {
      await app.close();
    }
    const stored = (await sql(databaseUrl, "select reconciliation_counts, reconciliation_counted_at from zoho_mirror_state")) as Array<{ reconciliation_counts: Record<string, number>; reconciliation_counted_at: Date }>;
    expect(nonZero(stored[0].reconciliation_counts)).toEqual({ inactive_contact: 1, email_differs: 1, missing_in_zoho: 1, possible_duplicate: 1 });
    // A new difference after the count: the page lists it at once, the dashboard says when it counted (4, not 5).
    await mirrorContact("7006", "fay@elsewhere.example");
    await linked("7006", "fay@shoppers.example");
    const staff = await signedIn(env, databaseUrl, "admin", "staff");
    expect(await (await staff.get("/admin/reconciliation?kind=email_differs")).text()).toContain("fay@shoppers.example");
    const dashboard = await (await staff.get("/admin")).text();
    expect(dashboard).toContain("4 differences to look at");
    expect(dashboard).toContain("(once an hour); the list itself is always current.");
    // Counts older than two hours are not shown: the dashboard counts again (and writes nothing).
    await sql(databaseUrl, "update zoho_mirror_state set reconciliation_counted_at = now() - interval '3 hours'");
    expect(await (await staff.get("/admin")).text()).toContain("5 differences to look at");
    expect((await sql(databaseUrl, "select reconciliation_counted_at < now() - interval '2 hours' as old from zoho_mirror_state"))[0]).toEqual({ old: true });
  });

  it("pages by 50, and says so when nothing differs or nothing of a kind does", async () => {
    const env = mirrorEnv();
    await mirrorState(true);
    const staff = await signedIn(env, databaseUrl, "admin", "staff");
    expect(await (await staff.get("/admin/reconciliation")).text()).toContain("Nothing differs: every linked customer");
    // 51 linked customers whose contacts the (complete) mirror does not have, in one statement.
    await sql(
      databaseUrl,
      `insert into customers (first_name, last_name, email, phone, delivery_method, zoho_sync_status, zoho_contact_id, zoho_contact_name, zoho_link_basis)
       select 'Test', 'Missing' || i, 'missing' || i || '@shoppers.example', '+639171234567', 'pickup', 'synced', (80000 + i)::text, 'Contact', 'created'
       from generate_series(1, 51) i`,
    );
    const { db, close } = testDb(databaseUrl);
    try {
      const first = await reconciliationPage(db, { on: true, complete: true }, { page: 1 });
      const second = await reconciliationPage(db, { on: true, complete: true }, { page: 2 });
      expect([first.rows.length, first.hasMore, second.rows.length, second.hasMore]).toEqual([50, true, 1, false]);
      expect(new Set([...first.rows, ...second.rows].map((r) => r.customerId)).size).toBe(51);
      expect((await reconciliationCsv(db, { on: true, complete: true }, undefined)).trim().split("\r\n")).toHaveLength(52);
    } finally {
      await close();
    }
    const one = await (await staff.get("/admin/reconciliation")).text();
    expect(one).toContain('href="/admin/reconciliation?page=2"');
    const none = await (await staff.get("/admin/reconciliation?kind=deleted_contact")).text();
    expect(none).toContain("Nothing of this kind.");
  });

  it("with the mirror off the page and the dashboard say there is nothing to compare", async () => {
    const env = testEnv(databaseUrl).env;
    const staff = await signedIn(env, databaseUrl, "admin", "staff");
    expect(await (await staff.get("/admin/reconciliation")).text()).toContain("The mirror of Zoho&#x27;s directory is off");
    const dashboard = await (await staff.get("/admin")).text();
    expect(dashboard).toContain("Off (MIRROR_FULL_READ_DAILY_CALLS is 0)");
    expect(dashboard).toContain("Nothing to compare while the mirror is off.");
  });
});

describe("the dashboard's mirror card", () => {
  it("shows the first full read's progress and pace while it reads, then complete with its last refresh", async () => {
    const env = mirrorEnv();
    await mirrorState(false);
    await mirrorContact("5001", "hal@shoppers.example");
    await mirrorContact("5002", "ivy@shoppers.example");
    const staff = await signedIn(env, databaseUrl, "admin", "staff");
    const reading = await (await staff.get("/admin")).text();
    expect(reading).toContain("First full read under way: reading contacts, page 3 next (200 a page)");
    expect(reading).toMatch(/data-testid="mirror-contacts">2</);
    // Zoho's list pages give no count: the card says so and gives the pace (100 calls a day, 200 a page).
    expect(reading).toContain("no finish time can be given: at this share the read covers up to 20,000 contacts or invoices a day (100 pages of 200)");

    await mirrorState(true);
    const complete = await (await staff.get("/admin")).text();
    expect(complete).toContain("Complete since");
    expect(complete).toMatch(/data-testid="mirror-refreshed">[^<]*\d/);
    expect(complete).not.toContain('data-testid="mirror-eta"');
  });
});

describe("the admin digest", () => {
  it("carries the count and the link; a count that grew sends a digest by itself, a standing one does not", async () => {
    const ops = `ops-${crypto.randomUUID().slice(0, 8)}@shop.test`;
    const env = mirrorEnv({ ADMIN_ALERT_EMAILS: ops, ALERT_DIGEST_MINUTES: "60" });
    const digest = async () => {
      const app = createAppServices(env);
      try {
        return await sendFailureDigest(app);
      } finally {
        await app.close();
      }
    };
    await mirrorState(true);
    await mirrorContact("6001", "fe@shoppers.example", "inactive");
    await linked("6001", "fe@shoppers.example");
    await digest();
    const [mail] = await mailsTo(bindings.TEST_MAIL_INBOX_URL, ops, /Zoho sync: 1 difference with Zoho/);
    expect(mail.text).toContain("Reconciliation: 1 difference between linked customers and their Zoho contacts");
    expect(mail.text).toContain("http://portal.test/admin/reconciliation");

    // The interval passes: the same difference standing sends nothing; a new one does.
    await sql(databaseUrl, "update admin_alerts set last_sent_at = now() - interval '61 minutes' where kind = 'failure_digest'");
    await digest();
    expect(await mailsTo(bindings.TEST_MAIL_INBOX_URL, ops, /Zoho sync/)).toHaveLength(1);
    await linked("6002", "gil@shoppers.example");
    await digest();
    expect(await mailsTo(bindings.TEST_MAIL_INBOX_URL, ops, /Zoho sync: 2 differences with Zoho/)).toHaveLength(1);
    expect((await sandbox().calls()).filter((c) => c.path.startsWith("/books/v3/"))).toEqual([]); // no Zoho call for any of it
  });
});
