// The I/O shell of app/sync/email-revet.ts: called by the email change (app/customers/email-change.server.ts)
// inside its transaction. No Zoho call: the decision reads our copy of the contact's email from link time.
import { eq } from "drizzle-orm";
import type { DbOrTx } from "~/db/client.server";
import { customers, zohoSyncEvents } from "~/db/schema";
import { revetAfterEmailChange, type RevetVerdict } from "./email-revet";

export async function revetLinkAfterEmailChange(tx: DbOrTx, customerId: string, newEmail: string, actorUserId: string | null): Promise<RevetVerdict> {
  const [customer] = await tx.select().from(customers).where(eq(customers.id, customerId)).for("update");
  if (!customer) return { kind: "none" };
  const verdict = revetAfterEmailChange(customer, newEmail);
  if (verdict.kind === "none") return verdict;
  const now = new Date();
  if (verdict.kind === "review")
    await tx
      .update(customers)
      .set({
        zohoSyncStatus: "skipped",
        zohoReviewReason: "email_changed",
        zohoSyncError: verdict.text,
        // The linked contact is the suggestion an admin can confirm with one click.
        zohoSyncCandidates: [{ contactId: customer.zohoContactId!, contactName: customer.zohoContactName ?? customer.zohoContactId!, email: customer.zohoContactEmail, companyName: null }],
        updatedAt: now,
      })
      .where(eq(customers.id, customerId));
  if (verdict.kind === "restore")
    await tx
      .update(customers)
      .set({ zohoSyncStatus: "synced", zohoReviewReason: null, zohoSyncError: null, zohoSyncCandidates: null, updatedAt: now })
      .where(eq(customers.id, customerId));
  await tx.insert(zohoSyncEvents).values({
    customerId,
    action: "link_revetted",
    outcome: verdict.kind === "review" ? "skipped" : verdict.kind === "restore" ? "synced" : "link_holds",
    error: verdict.kind === "review" ? verdict.text : null,
    actorUserId,
    details: verdict.kind === "holds" ? { why: verdict.why } : null,
  });
  return verdict;
}
