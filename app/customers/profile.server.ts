// The customer edits their own name, mobile number and delivery address (issue 19, item 3), with the same
// rules as registration. A taken-back account (item 4: the address's owner reset the password of an account
// someone else registered and never confirmed) saves the same form as its confirmation: nothing was synced
// before, and its sync starts only now, with the details its owner checked.
import { eq } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import { customers, users } from "~/db/schema";
import { markVerified, queueConfirmedJob } from "~/auth/verification.server";
import { reopenOrInsertJob } from "~/sync/jobs/enqueue.server";
import { queueProfileUpdate } from "~/sync/profile-updates.server";
import { sendJobs } from "~/sync/send.server";
import type { DetailsCheck, Profile } from "./account-schemas";
import { ACCOUNT_EVENTS, recordAccountEvent } from "~/sync/account-timeline.server";

type Customer = typeof customers.$inferSelect;

function profileColumns(p: Profile) {
  const delivery = p.deliveryMethod === "delivery";
  return {
    firstName: p.firstName,
    lastName: p.lastName,
    phone: p.phone,
    deliveryMethod: p.deliveryMethod,
    addressLine1: delivery ? p.addressLine1 : null,
    addressLine2: delivery ? p.addressLine2 || null : null,
    city: delivery ? p.city : null,
    province: delivery ? p.province : null,
    postalCode: delivery ? p.postalCode : null,
  };
}

/** The names of the fields whose value changes (the timeline records these, never the values). */
export function changedFields(before: Partial<Customer>, after: Partial<Customer>): string[] {
  return Object.entries(after)
    .filter(([k, v]) => (before[k as keyof Customer] ?? null) !== (v ?? null))
    .map(([k]) => k);
}

/** `toZoho`: the edit is on its way to the linked Zoho contact (docs/decisions/039-profile-updates-to-zoho.md). */
export type ProfileResult = { ok: true; changed: string[]; toZoho: boolean } | { ok: false; reason: "no_customer" | "check_details" };

/**
 * Saves the customer's details. A linked customer's edit also goes to Zoho: stored with an update job in the same
 * transaction (several edits before it runs coalesce), the job sent once committed (the sweep sends it otherwise).
 * An unlinked customer's edit stays in the portal: a later link does not send it.
 */
export async function updateProfile(app: AppServices, userId: string, profile: Profile): Promise<ProfileResult> {
  const saved = await app.db.transaction(async (tx): Promise<ProfileResult & { jobId?: string | null }> => {
    const [user] = await tx.select({ takenBackAt: users.takenBackAt }).from(users).where(eq(users.id, userId));
    if (user?.takenBackAt) return { ok: false, reason: "check_details" };
    const [customer] = await tx.select().from(customers).where(eq(customers.userId, userId)).for("update");
    if (!customer) return { ok: false, reason: "no_customer" };
    const next = profileColumns(profile);
    const changed = changedFields(customer, next);
    if (changed.length === 0) return { ok: true, changed, toZoho: false };
    await tx.update(customers).set({ ...next, updatedAt: new Date() }).where(eq(customers.id, customer.id));
    await recordAccountEvent(tx, userId, ACCOUNT_EVENTS.profileUpdated, { details: { fields: changed } });
    const jobId = await queueProfileUpdate(tx, customer, next);
    return { ok: true, changed, toZoho: !!jobId, jobId };
  });
  if (!saved.ok) return saved;
  if (saved.jobId) await sendJobs(app, [saved.jobId], "profile edited");
  return { ok: true, changed: saved.changed, toZoho: saved.toZoho };
}

export type DetailsCheckResult = { ok: true; queued: boolean } | { ok: false; reason: "no_customer" | "not_taken_back" };

/** The owner of a taken-back account saved its details: the account is theirs (confirmed) and its sync starts. */
export async function checkDetails(app: AppServices, userId: string, answers: DetailsCheck): Promise<DetailsCheckResult> {
  const outcome = await app.db.transaction(async (tx): Promise<{ ok: true; jobId: string | null } | { ok: false; reason: "no_customer" | "not_taken_back" }> => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
    if (!user?.takenBackAt || user.emailVerifiedAt) return { ok: false, reason: "not_taken_back" };
    const [customer] = await tx.select().from(customers).where(eq(customers.userId, userId)).for("update");
    if (!customer) return { ok: false, reason: "no_customer" };
    const returning = answers.customerType === "returning";
    const next = { ...profileColumns(answers), isReturningCustomer: returning };
    const changed = changedFields(customer, next);
    await tx.update(customers).set({ ...next, updatedAt: new Date() }).where(eq(customers.id, customer.id));
    // "Ordered before?" decides how the job looks the customer up: the stranger's answer does not count.
    if (changed.includes("isReturningCustomer")) await reopenOrInsertJob(tx, { customerId: customer.id, action: returning ? "match" : "create", priority: 0 });
    await recordAccountEvent(tx, userId, ACCOUNT_EVENTS.detailsChecked, { details: { fields: changed } });
    const jobId = await markVerified(tx, userId, user.email, "details_check");
    return { ok: true, jobId: jobId === false || jobId === "check_details" ? null : jobId };
  });
  if (!outcome.ok) return outcome;
  return { ok: true, queued: await queueConfirmedJob(app, outcome.jobId) };
}
