// The chaos run's Zoho-side edits (issue 20, docs/decisions/037): once customers are linked, a few percent of the
// contacts linked by a verified email are changed in Zoho through the sandbox's control API, as an admin in Zoho's
// web app would: merged into a contact with the customer's email (→ re-linked), merged where the survivor is held
// by another account or several contacts carry the email (→ review contact_merged), deleted (→ review
// contact_deleted, the link ended), made inactive (→ review contact_inactive), the primary email changed (→ review
// zoho_email_changed). The changes reach the portal as in production: the sandbox's webhook posts each one to the
// Worker, and the sweeper's scheduled runs read Zoho's changes once the mirror's read interval has gone by
// (mirrorTimePasses: 10 minutes a round, a week when a change has still not arrived). Each edited case carries
// where its customer must end; the oracle checks it.
import type { SandboxControl } from "@tools/zoho-sandbox/control-client";
import { mirrorTimePasses } from "~/zoho/mirror/tooling.server";
import { FULL_PASS_EVERY_MS, SCHEDULED_READ_INTERVAL_MS } from "~/zoho/mirror/read.server";
import type { Case, EditExpect, EditKind, Node } from "./world";

export const EDIT_KINDS: readonly EditKind[] = ["merged_relinked", "merged_several", "merged_held", "deleted", "inactive", "email_changed"];
export const EDIT_LABEL: Record<EditKind, string> = {
  merged_relinked: "merged into a contact with the verified email → re-linked",
  merged_several: "merged, several contacts carry the email → review",
  merged_held: "merged into a contact another account holds → review",
  deleted: "deleted → link ended, review",
  inactive: "made inactive → review",
  email_changed: "primary email changed → review",
};


export const WEBHOOK_SECRET = "chaos-webhook-secret-0123456789";

type Linked = { c: Case; contactId: string };

/**
 * Picks `share` of the customers linked by their verified email to the contact their case expects (at least one of
 * each kind, plus the partner the "held" merge needs), turns on the webhook, and edits their contacts in Zoho.
 */
export async function editInZoho(d: { node: Node; sandbox: SandboxControl; cases: Case[]; url: string; share: number }) {
  const { rows } = await d.node.pool.query(
    "select email, zoho_contact_id as contact from customers where zoho_sync_status = 'synced' and zoho_link_basis = 'verified_email' and zoho_contact_id is not null order by email",
  );
  const linkedNow = new Map(rows.map((r: { email: string; contact: string }) => [r.email, r.contact]));
  const pool: Linked[] = d.cases
    .filter((c) => (c.kind === "returning_email" || c.kind === "new_known") && c.expect.contactId && linkedNow.get(c.email) === c.expect.contactId)
    .map((c) => ({ c, contactId: c.expect.contactId! }));
  const wanted = Math.max(EDIT_KINDS.length, Math.round(pool.length * d.share));
  await d.sandbox.configureWebhook({ url: `${d.url}/api/zoho/webhook`, secret: WEBHOOK_SECRET });
  // Zoho's times are whole seconds: each edit a second after the last, so each moves the contacts it touches.
  const tick = () => d.sandbox.advanceClock(1100);
  let edited = 0;
  for (let i = 0; edited < wanted && pool.length > 0; i++) {
    const kind = EDIT_KINDS[i % EDIT_KINDS.length];
    const { c, contactId } = pool.shift()!;
    await tick();
    if (kind === "merged_relinked") {
      const survivor = await d.sandbox.addContact({ contact_name: `${c.firstName} ${c.lastName} (main)`, email: c.email });
      await tick();
      await d.sandbox.mergeContact(contactId, survivor.contact_id);
      c.zohoEdit = { kind, status: "synced", reason: null, contactId: survivor.contact_id, contacts: 2 };
    } else if (kind === "merged_several") {
      const first = await d.sandbox.addContact({ contact_name: `${c.firstName} ${c.lastName} (shop)`, email: c.email });
      await d.sandbox.addContact({ contact_name: `${c.firstName} ${c.lastName} (home)`, email: c.email });
      await tick();
      await d.sandbox.mergeContact(contactId, first.contact_id);
      c.zohoEdit = { kind, status: "skipped", reason: "contact_merged", contactId, contacts: 3 };
    } else if (kind === "merged_held") {
      // Another linked customer's contact gets this customer's email in Zoho (that customer: review), then this
      // customer's contact is merged into it: the survivor is held by the other account (review, never re-linked).
      const partner = pool.shift();
      if (!partner) continue;
      await d.sandbox.editContact(partner.contactId, { email: c.email });
      await tick();
      await d.sandbox.mergeContact(contactId, partner.contactId);
      c.zohoEdit = { kind, status: "skipped", reason: "contact_merged", contactId, contacts: 2 };
      partner.c.zohoEdit = { kind: "email_changed_by_merge", status: "skipped", reason: "zoho_email_changed", contactId: partner.contactId, contacts: 0 };
    } else if (kind === "deleted") {
      await d.sandbox.deleteContact(contactId);
      c.zohoEdit = { kind, status: "skipped", reason: "contact_deleted", contactId: null, contacts: 0 };
    } else if (kind === "inactive") {
      await d.sandbox.editContact(contactId, { status: "inactive" });
      c.zohoEdit = { kind, status: "skipped", reason: "contact_inactive", contactId, contacts: 1 };
    } else {
      await d.sandbox.editContact(contactId, { email: `changed.${c.email}` });
      c.zohoEdit = { kind, status: "skipped", reason: "zoho_email_changed", contactId, contacts: 0 };
    }
    edited++;
  }
  return d.cases.filter((c) => c.zohoEdit);
}

/** Whether an edited customer is where its edit puts it. */
export const endedRight = (e: EditExpect, row: { status: string; reason: string | null; contact: string | null } | undefined) =>
  !!row && row.status === e.status && (row.reason ?? null) === e.reason && (row.contact ?? null) === e.contactId;

/**
 * Waits (while the sweeper's scheduled runs go on) until every edited customer is where its edit puts it: each round
 * the mirror's read interval goes by; after `weekAfterMs` without everyone there, a week goes by once (the weekly
 * full pass: a deletion whose webhook delivery failed). Returns the time it took.
 */
export async function waitForZohoEdits(d: { node: Node; edited: Case[]; timeoutMs: number; weekAfterMs?: number }) {
  const started = Date.now();
  let weekPassed = false;
  while (Date.now() - started < d.timeoutMs) {
    const { rows } = await d.node.pool.query(
      "select email, zoho_sync_status as status, zoho_review_reason as reason, zoho_contact_id as contact from customers where email = any($1::text[])",
      [d.edited.map((c) => c.email)],
    );
    type Row = { email: string; status: string; reason: string | null; contact: string | null };
    const byEmail = new Map((rows as Row[]).map((r) => [r.email, r]));
    if (d.edited.every((c) => endedRight(c.zohoEdit!, byEmail.get(c.email)))) break;
    if (!weekPassed && Date.now() - started > (d.weekAfterMs ?? 20_000)) {
      weekPassed = true;
      await mirrorTimePasses(d.node.db, FULL_PASS_EVERY_MS);
    } else await mirrorTimePasses(d.node.db, SCHEDULED_READ_INTERVAL_MS);
    await new Promise((r) => setTimeout(r, 1500));
  }
  return { ms: Date.now() - started, weekPassed };
}
