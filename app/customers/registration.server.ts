// Registration (R1 + the registration half of R2/R3): the stepper's draft lives in the server-side
// session; submit re-validates everything and writes the account, the customer, the sync job and the
// verification mail (outbox) in one transaction; the mail goes out after the response. The job waits
// until the email is verified (app/auth/verification.server.ts). Registration never calls Zoho.
// Registration never signs in, and its answer is the same whether or not the address already has an
// account (docs/decisions/022): the person typing learns nothing the sign-in page would not tell them;
// the address's owner gets a mail saying how to sign in, reset, or take an unconfirmed account over.
import { sql } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import { hashPassword } from "~/auth/password.server";
import { addressInUse } from "./email-change.server";
import { hitLimits, LIMITS, limitKeys, perAddress } from "~/auth/rate-limit.server";
import { verifyPassword } from "~/auth/password.server";
import { UNVERIFIED_LIFETIME_MS } from "~/auth/verification.server";
import { customers, users, zohoSyncEvents } from "~/db/schema";
import { deliverMail, queueMail } from "~/email/outbox.server";
import { insertJob } from "~/sync/jobs/enqueue.server";
import { OUTCOMES } from "~/sync/vocabulary";
import { DeliverySchema, HistorySchema, PersonalSchema, RegistrationSchema, type RegistrationDraft, type Step } from "./registration-schema";

/**
 * The first step whose answers are missing or no longer valid (where the stepper must send the
 * person). The draft is re-validated, not trusted: the rules may have changed since it was saved.
 */
export function firstIncompleteStep(draft: RegistrationDraft): Step {
  if (!PersonalSchema.safeParse(draft.personal).success) return 1;
  if (!HistorySchema.safeParse(draft.history).success) return 2;
  if (!DeliverySchema.safeParse(draft.delivery).success) return 3;
  return 4;
}

/** Answers saved for this step that do not pass its rules any more: the step asks to check them. */
export function savedAnswersNeedChecking(draft: RegistrationDraft, step: Step): boolean {
  const saved = step === 1 ? draft.personal : step === 2 ? draft.history : step === 3 ? draft.delivery : undefined;
  return saved !== undefined && firstIncompleteStep(draft) === step;
}

export type RegisterResult =
  | { ok: true; outcome: "created"; userId: string; customerId: string; jobId: string }
  /** The same registration arrived twice (double click, resent form): the first one's account. */
  | { ok: true; outcome: "repeated"; userId: string }
  /** The address already has an account (or a customer record): its owner is mailed, nothing is created. */
  | { ok: true; outcome: "exists"; userId: null }
  | { ok: false; reason: "incomplete"; step?: Step }
  | { ok: false; reason: "limited"; retryAfterSeconds: number };

/** How long after an account is created a second submit with the same password counts as a repeat. */
const REPEAT_WINDOW_MS = 10 * 60 * 1000;

export async function registerCustomer(
  app: AppServices,
  draft: RegistrationDraft,
  password: string,
  opts: { clientAddress?: string | null } = {},
): Promise<RegisterResult> {
  const parsed = RegistrationSchema.safeParse(draft);
  if (!parsed.success) return { ok: false, reason: "incomplete", step: firstIncompleteStep(draft) };
  const { personal, history, delivery } = parsed.data;
  const limited = await hitLimits(
    app.db,
    limitKeys("register", { ip: { id: opts.clientAddress ?? null, limit: perAddress(LIMITS.register.ip, app.env.RATE_LIMIT_ADDRESS_FACTOR) }, email: { id: personal.email, limit: LIMITS.register.email } }),
  );
  if (!limited.ok) return { ok: false, reason: "limited", retryAfterSeconds: limited.retryAfterSeconds };
  // Hashed whether or not the address is free, so the answer takes as long either way.
  const passwordHash = await hashPassword(password);
  if ((await addressInUse(app.db, personal.email)).inUse) return alreadyRegistered(app, personal.email, password);
  const returning = history.customerType === "returning";
  let created: { userId: string; customerId: string; jobId: string; mailIds: string[] };
  try {
    created = await app.db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({ email: personal.email, passwordHash, role: "customer", removeUnverifiedAfter: new Date(Date.now() + UNVERIFIED_LIFETIME_MS) })
        .returning({ id: users.id });
      const [customer] = await tx
        .insert(customers)
        .values({
          userId: user.id,
          firstName: personal.firstName,
          lastName: personal.lastName,
          email: personal.email,
          phone: personal.phone,
          deliveryMethod: delivery.deliveryMethod,
          ...(delivery.deliveryMethod === "delivery"
            ? {
                addressLine1: delivery.addressLine1,
                addressLine2: delivery.addressLine2 || null,
                city: delivery.city,
                province: delivery.province,
                postalCode: delivery.postalCode,
              }
            : {}),
          isReturningCustomer: returning,
          zohoSyncStatus: "pending",
        })
        .returning({ id: customers.id });
      // The job waits for the email to be verified (the job store never claims it before); opening the
      // link makes it due and sends it to the queue.
      const jobId = await insertJob(tx, { customerId: customer.id, action: returning ? "match" : "create" });
      await tx.insert(zohoSyncEvents).values({ customerId: customer.id, jobId, action: "register", outcome: OUTCOMES.queued });
      const mailIds = await queueMail(tx, [{ kind: "verify_email", userId: user.id, to: personal.email }]);
      return { userId: user.id, customerId: customer.id, jobId, mailIds };
    });
  } catch (error) {
    // The unique indexes on lower(email) settle a race (double submit, two tabs): one account wins.
    if (isUniqueViolation(error)) return alreadyRegistered(app, personal.email, password);
    throw error;
  }
  // After the commit and after the response: a slow or failing SMTP relay never holds up or breaks
  // registration; the outbox row stays for the hourly sweep to retry.
  app.afterResponse(() => deliverMail(app, created.mailIds));
  return { ok: true, outcome: "created", userId: created.userId, customerId: created.customerId, jobId: created.jobId };
}

/**
 * The address is in use. When an account with this very password was created moments ago, it is the same
 * person submitting twice: nothing more happens. Otherwise the address's owner gets a mail (throttled with
 * registration itself: the per-email limit above caps it at 5 an hour).
 */
async function alreadyRegistered(app: AppServices, email: string, password: string): Promise<RegisterResult> {
  const [user] = await app.db
    .select({ id: users.id, createdAt: users.createdAt, role: users.role, passwordHash: users.passwordHash })
    .from(users)
    .where(sql`lower(${users.email}) = ${email}`);
  if (user && user.role === "customer" && Date.now() - user.createdAt.getTime() <= REPEAT_WINDOW_MS && (await verifyPassword(password, user.passwordHash)))
    return { ok: true, outcome: "repeated", userId: user.id };
  const ownerUserId = user?.id ?? (await addressInUse(app.db, email)).ownerUserId;
  const mailIds = await queueMail(app.db, [{ kind: "account_exists", userId: ownerUserId, to: email }]);
  app.afterResponse(() => deliverMail(app, mailIds));
  return { ok: true, outcome: "exists", userId: null };
}

function isUniqueViolation(error: unknown): boolean {
  for (let e = error as { code?: string; cause?: unknown } | undefined, i = 0; e && i < 4; e = e.cause as typeof e, i++) if (e.code === "23505") return true;
  return false;
}
