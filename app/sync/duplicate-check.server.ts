// The deferred half of a create made without looking (budget pressure, create-policy.ts): a low-priority
// job, due when tomorrow's budget starts, looks for other contacts with the customer's email. It never
// merges or relinks: a second contact is flagged on the customer for an admin to resolve in Zoho.
import type { customers } from "~/db/schema";
import type { ZohoClient } from "~/zoho/client.server";
import { nextBudgetDay } from "./backoff";
import { findByEmail } from "./find-contact.server";
import { insertJob, type SqlRunner } from "./jobs.server";
import { toCandidate } from "./matching";
import type { JobResult } from "./outcome";

/** Below every customer's own job: it only ever uses what budget is left over. */
export const DUPLICATE_CHECK_PRIORITY = -10;

export async function scheduleDuplicateCheck(db: SqlRunner, customerId: string, now: Date) {
  await insertJob(db, { customerId, action: "check_duplicate", priority: DUPLICATE_CHECK_PRIORITY, scheduledFor: nextBudgetDay(now, Math.random()) });
}

export async function checkDuplicate(client: ZohoClient, customer: typeof customers.$inferSelect): Promise<JobResult> {
  // Unlinked since the create: there is nothing of ours to compare; the customer's own state stands.
  if (!customer.zohoContactId) return { kind: "not_found" };
  const sameEmail = await findByEmail(client, customer.email);
  const others = sameEmail.filter((c) => c.contact_id !== customer.zohoContactId);
  return {
    kind: "duplicate_check",
    contactId: customer.zohoContactId,
    contactName: customer.zohoContactName ?? "",
    duplicates: others.length ? sameEmail.map(toCandidate) : [],
  };
}
