import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  customType,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

// Status, action and link names live in the sync vocabulary (relative import: drizzle-kit loads this file).
import {
  LINK_BASES,
  LINKED_REVIEW_REASONS,
  PROFILE_UPDATE_STATES,
  SYNC_ACTIONS,
  SYNC_STATUSES,
  sqlList,
  type LinkBasis,
  type ProfileConflict,
  type ProfileFields,
  type ProfileUpdateState,
  type ReviewReason,
  type SyncAction,
  type SyncStatus,
  type ZohoCandidate,
} from "../sync/vocabulary";
export { SYNC_ACTIONS, SYNC_STATUSES, type SyncAction, type SyncStatus };

export const ADMIN_ROLES = ["owner", "staff"] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: varchar("role", { length: 20 }).notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    lastSignInAt: timestamptz("last_sign_in_at"),
    // Set when the owner of `email` clicked the link sent to it; until then the address is only a claim.
    emailVerifiedAt: timestamptz("email_verified_at"),
    // Set at registration: an account still unverified after this time is removed by housekeeping.
    // Accounts created before verification existed have none and are never removed for it.
    removeUnverifiedAfter: timestamptz("remove_unverified_after"),
    // A new address the owner asked for (app/customers/email-change.server.ts): sign-in and reset keep using
    // `email` until the owner confirms it from a mail to the new address.
    pendingEmail: text("pending_email"),
    pendingEmailAt: timestamptz("pending_email_at"),
    // The address before the last confirmed change, kept (and reserved) while its 7-day undo is open.
    previousEmail: text("previous_email"),
    previousEmailUntil: timestamptz("previous_email_until"),
    // A never-confirmed account whose password the address's owner reset: nothing syncs until they
    // checked the name and delivery address (app/customers/profile.server.ts).
    takenBackAt: timestamptz("taken_back_at"),
    // What an admin may do (README "Admins: roles and invitations"): owner = everything, including admins and the
    // Zoho connection; staff = customers, review, linking, retries. Null for customers. At least one owner stays
    // (the trigger users_keep_an_owner in drizzle/0019).
    adminRole: varchar("admin_role", { length: 10 }).$type<AdminRole>(),
  },
  (t) => [
    uniqueIndex("users_email_lower_idx").on(sql`lower(${t.email})`),
    check("users_role_check", sql`${t.role} in ('admin', 'customer')`),
    check(
      "users_admin_role_check",
      // "is not null" first: a check that evaluates to null passes, and `null in (…)` is null.
      sql`(${t.role} = 'admin' and ${t.adminRole} is not null and ${t.adminRole} in ${sql.raw(sqlList(ADMIN_ROLES))}) or (${t.role} <> 'admin' and ${t.adminRole} is null)`,
    ),
  ],
);

// An owner's invitation to become an admin (app/admin/invitations.server.ts). The mailed link's token is minted
// when the mail is sent (the outbox never holds one) and only its SHA-256 is kept; a newer mail replaces it.
// Open = neither accepted nor revoked; at most one open invitation per address.
export const adminInvitations = pgTable(
  "admin_invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    adminRole: varchar("admin_role", { length: 10 }).$type<AdminRole>().notNull(),
    tokenHash: text("token_hash"),
    invitedBy: uuid("invited_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    expiresAt: timestamptz("expires_at").notNull(),
    acceptedAt: timestamptz("accepted_at"),
    acceptedUserId: uuid("accepted_user_id").references(() => users.id, { onDelete: "set null" }),
    revokedAt: timestamptz("revoked_at"),
  },
  (t) => [
    uniqueIndex("admin_invitations_token_idx").on(t.tokenHash),
    uniqueIndex("admin_invitations_open_email_idx")
      .on(sql`lower(${t.email})`)
      .where(sql`${t.acceptedAt} is null and ${t.revokedAt} is null`),
    index("admin_invitations_created_idx").on(t.createdAt.desc()),
    check("admin_invitations_role_check", sql`${t.adminRole} in ${sql.raw(sqlList(ADMIN_ROLES))}`),
  ],
);

export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    expiresAt: timestamptz("expires_at").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)],
);

// An admin's second factors (issue 23): an authenticator app (TOTP; its secret encrypted with
// TOKEN_ENCRYPTION_KEY) or a passkey (WebAuthn; its public key). `last_used_step`: the last TOTP time step
// accepted, so a code (or an earlier one) is never accepted twice.
export const adminFactors = pgTable(
  "admin_factors",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: varchar("kind", { length: 20 }).notNull().$type<"totp" | "passkey">(),
    totpSecretEncrypted: text("totp_secret_encrypted"),
    lastUsedStep: bigint("last_used_step", { mode: "number" }),
    credentialId: text("credential_id"),
    publicKey: text("public_key"),
    signCount: bigint("sign_count", { mode: "number" }),
    label: text("label"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    lastUsedAt: timestamptz("last_used_at"),
  },
  (t) => [
    index("admin_factors_user_idx").on(t.userId),
    uniqueIndex("admin_factors_credential_idx").on(t.credentialId),
    check("admin_factors_kind", sql`${t.kind} in ('totp', 'passkey')`),
    check("admin_factors_totp_secret", sql`${t.kind} <> 'totp' or ${t.totpSecretEncrypted} is not null`),
  ],
);

// Ten single-use recovery codes per admin, stored as SHA-256 hashes (each code is 50 random bits).
export const adminRecoveryCodes = pgTable(
  "admin_recovery_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: timestamptz("used_at"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("admin_recovery_codes_hash_idx").on(t.userId, t.codeHash)],
);

// Failed sign-ins per key (an email or a client address), for throttling.
export const authThrottle = pgTable("auth_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStartedAt: timestamptz("window_started_at").notNull().defaultNow(),
  lockedUntil: timestamptz("locked_until"),
});

// Single-use links sent by email (verify the address, reset the password, confirm or undo an email change).
// Only a SHA-256 of the token is kept: a database leak does not hand out working links. Confirmation mails
// also carry a short code (an HMAC of it is kept) for mail clients that break links: 15 minutes, 5 tries.
export const EMAIL_TOKEN_PURPOSES = ["verify_email", "reset_password", "change_email", "undo_email_change"] as const;
export type EmailTokenPurpose = (typeof EMAIL_TOKEN_PURPOSES)[number];
export const emailTokens = pgTable(
  "email_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: varchar("purpose", { length: 20 }).$type<EmailTokenPurpose>().notNull(),
    // The address the link was sent to: a link for an old address does not verify a new one.
    email: text("email").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    expiresAt: timestamptz("expires_at").notNull(),
    usedAt: timestamptz("used_at"),
    codeHash: text("code_hash"),
    codeExpiresAt: timestamptz("code_expires_at"),
    codeAttempts: integer("code_attempts").notNull().default(0),
  },
  (t) => [
    index("email_tokens_user_idx").on(t.userId, t.purpose),
    check("email_tokens_purpose_check", sql`${t.purpose} in ${sql.raw(sqlList(EMAIL_TOKEN_PURPOSES))}`),
  ],
);

// Mail to send, written in the same transaction as what caused it and sent after the commit; the
// hourly sweep retries what failed. Mails with a link (verify, reset) are rendered at send time,
// so the outbox never holds a working token; alerts carry their rendered text.
// account_exists: someone registered (or asked to move an account) with an address that already has one;
// its owner is told how to sign in, reset, or take an unconfirmed account over. change_email goes to the new
// address, email_change_notice (with the 7-day undo) to the old one.
// admin_invitation: an owner's invitation (invitation_id says which; rendered with a fresh link at send time).
export const MAIL_KINDS = ["verify_email", "reset_password", "alert", "account_exists", "change_email", "email_change_notice", "admin_invitation"] as const;
export type MailKind = (typeof MAIL_KINDS)[number];
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: varchar("kind", { length: 20 }).$type<MailKind>().notNull(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    invitationId: uuid("invitation_id").references(() => adminInvitations.id, { onDelete: "cascade" }),
    toAddress: text("to_address").notNull(),
    content: jsonb("content").$type<{ subject: string; text: string; html: string }>(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    nextAttemptAt: timestamptz("next_attempt_at").notNull().defaultNow(),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    sentAt: timestamptz("sent_at"),
    // The relay refused the address for good (SMTP 5xx to RCPT TO): never retried; the account page says so.
    refusedAt: timestamptz("refused_at"),
  },
  (t) => [
    index("email_outbox_unsent_idx").on(t.nextAttemptAt).where(sql`${t.sentAt} is null`),
    check("email_outbox_kind_check", sql`${t.kind} in ${sql.raw(sqlList(MAIL_KINDS))}`),
  ],
);

// Accounts that ended, without any personal data: "this wasn't me" (an unconfirmed registration removed by
// the address's owner) and accounts deleted by their customer (the Zoho contact they were linked to stays in
// Zoho; admins see it here). Counted on the admin dashboard.
export const ACCOUNT_CLOSURE_REASONS = ["not_me", "deleted_by_customer"] as const;
export type AccountClosureReason = (typeof ACCOUNT_CLOSURE_REASONS)[number];
export const accountClosures = pgTable(
  "account_closures",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamptz("at").notNull().defaultNow(),
    reason: varchar("reason", { length: 30 }).$type<AccountClosureReason>().notNull(),
    // The Zoho contact the deleted account was linked to (an id, not a person's data): it is not deleted.
    zohoContactId: text("zoho_contact_id"),
    zohoLinkBasis: varchar("zoho_link_basis", { length: 20 }),
  },
  (t) => [
    index("account_closures_at_idx").on(t.at.desc()),
    index("account_closures_contact_idx").on(t.zohoContactId).where(sql`${t.zohoContactId} is not null`),
    check("account_closures_reason_check", sql`${t.reason} in ${sql.raw(sqlList(ACCOUNT_CLOSURE_REASONS))}`),
  ],
);

// Admin alert state: one row per alert kind (an incident such as "reconnect_needed", or the failure
// digest), so each incident is announced once when it opens and once when it ends.
export const adminAlerts = pgTable("admin_alerts", {
  kind: varchar("kind", { length: 40 }).primaryKey(),
  openSince: timestamptz("open_since"),
  details: text("details"),
  lastSentAt: timestamptz("last_sent_at"),
});

export const customers = pgTable(
  "customers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    firstName: text("first_name").notNull(),
    lastName: text("last_name").notNull(),
    email: text("email").notNull(),
    phone: text("phone").notNull(),
    deliveryMethod: varchar("delivery_method", { length: 20 }).notNull(),
    addressLine1: text("address_line1"),
    addressLine2: text("address_line2"),
    city: text("city"),
    province: text("province"),
    postalCode: text("postal_code"),
    isReturningCustomer: boolean("is_returning_customer").notNull().default(false),
    zohoSyncStatus: varchar("zoho_sync_status", { length: 20 }).$type<SyncStatus>().notNull().default("pending"),
    zohoSyncError: text("zoho_sync_error"),
    zohoSyncAttempts: integer("zoho_sync_attempts").notNull().default(0),
    zohoLastSyncAt: timestamptz("zoho_last_sync_at"),
    zohoContactId: text("zoho_contact_id"),
    zohoContactName: text("zoho_contact_name"),
    // How the link was made: email | name | created | upsert | manual.
    zohoMatchType: varchar("zoho_match_type", { length: 20 }),
    // Candidate contacts kept for an admin when a returning customer matched several.
    zohoSyncCandidates: jsonb("zoho_sync_candidates").$type<ZohoCandidate[]>(),
    zohoLinkedAt: timestamptz("zoho_linked_at"),
    // How the link was proven (app/sync/link-policy.ts): verified_email | created | admin; null = not proven,
    // so no order history. The contact's email as Zoho gave it at link time, for the admin to compare.
    zohoLinkBasis: varchar("zoho_link_basis", { length: 20 }).$type<LinkBasis>(),
    zohoContactEmail: text("zoho_contact_email"),
    // Why the customer waits for an admin (skipped/failed): name_only, contact_already_linked, … (filterable).
    zohoReviewReason: varchar("zoho_review_reason", { length: 30 }).$type<ReviewReason>(),
    zohoFailureNotifiedAt: timestamptz("zoho_failure_notified_at"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
    // The admin list's search (app/admin/customer-list.server.ts): the words of the name and the email (whole,
    // and split at @ . + _ -), kept by Postgres. Each typed word matches the start of one of them.
    searchWords: tsvector("search_words").generatedAlwaysAs(
      sql`to_tsvector('simple'::regconfig, first_name || ' ' || last_name || ' ' || email || ' ' || translate(email, '@.+_-', '     '))`,
    ),
  },
  (t) => [
    index("customers_search_words_idx").using("gin", t.searchWords),
    uniqueIndex("customers_email_lower_idx").on(sql`lower(${t.email})`),
    uniqueIndex("customers_user_idx").on(t.userId),
    index("customers_created_idx").on(t.createdAt.desc(), t.id.desc()),
    index("customers_status_created_idx").on(t.zohoSyncStatus, t.createdAt.desc(), t.id.desc()),
    // One Zoho contact ↔ at most one portal account (replaces the plain index on zoho_contact_id).
    uniqueIndex("customers_zoho_contact_unique").on(t.zohoContactId).where(sql`${t.zohoContactId} is not null`),
    // The list's "needs an admin because" filter (app/admin/customer-list.server.ts spells the same condition).
    index("customers_review_reason_idx")
      .on(t.zohoReviewReason, t.createdAt.desc(), t.id.desc())
      .where(sql`${t.zohoSyncStatus} in ('skipped', 'failed') or ${t.zohoReviewReason} in ${sql.raw(sqlList(LINKED_REVIEW_REASONS))}`),
    check("customers_zoho_link_basis_check", sql`${t.zohoLinkBasis} in ${sql.raw(sqlList(LINK_BASES))}`),
    check(
      "customers_zoho_sync_status_check",
      sql`${t.zohoSyncStatus} in ${sql.raw(sqlList(SYNC_STATUSES))}`,
    ),
    check("customers_delivery_method_check", sql`${t.deliveryMethod} in ('delivery', 'pickup')`),
  ],
);

export const zohoSyncQueue = pgTable(
  "zoho_sync_queue",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    action: varchar("action", { length: 20 }).$type<SyncAction>().notNull(),
    priority: integer("priority").notNull().default(0),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    scheduledFor: timestamptz("scheduled_for").notNull().defaultNow(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    processedAt: timestamptz("processed_at"),
    // Lease: a claimed job belongs to one worker until this time; the cron recovers expired leases.
    lockedUntil: timestamptz("locked_until"),
    lockedBy: text("locked_by"),
    // Last time a queue message was sent for this job (so the sweep does not flood the queue).
    enqueuedAt: timestamptz("enqueued_at"),
    // Set just before a Zoho create call: a retry after it must look the contact up first.
    createAttemptedAt: timestamptz("create_attempted_at"),
    // The job's slot in the pace line (app/sync/pace-line.server.ts): it may go at that time while others wait.
    paceSlot: timestamptz("pace_slot"),
  },
  (t) => [
    index("idx_zoho_sync_queue_pending").on(t.scheduledFor).where(sql`${t.processedAt} is null`),
    index("idx_zoho_sync_queue_customer").on(t.customerId),
    // One open job per customer, and beside it at most one profile update (docs/decisions/039-profile-updates-to-zoho.md).
    uniqueIndex("zoho_sync_queue_one_open_job").on(t.customerId).where(sql`${t.processedAt} is null and ${t.action} <> 'update_contact'`),
    uniqueIndex("zoho_sync_queue_one_open_update").on(t.customerId).where(sql`${t.processedAt} is null and ${t.action} = 'update_contact'`),
    check("zoho_sync_queue_action_check", sql`${t.action} in ${sql.raw(sqlList(SYNC_ACTIONS))}`),
  ],
);

// A linked customer's edits on their way to Zoho (app/sync/profile-updates.server.ts is the only module that names
// it; docs/decisions/039-profile-updates-to-zoho.md): one row per customer. `wanted` is what the customer saved last
// (several edits coalesce into it), `base` what Zoho is believed to hold (what we last sent, or the portal's values
// before the first edit): a field Zoho changed away from `base` is not overwritten but held for review (`conflicts`).
export const zohoProfileUpdates = pgTable(
  "zoho_profile_updates",
  {
    customerId: uuid("customer_id")
      .primaryKey()
      .references(() => customers.id, { onDelete: "cascade" }),
    // The contact the edits are for: a link changed meanwhile sends nothing to the new one.
    contactId: text("contact_id").notNull(),
    status: varchar("status", { length: 20 }).$type<ProfileUpdateState>().notNull(),
    wanted: jsonb("wanted").$type<ProfileFields>().notNull(),
    base: jsonb("base").$type<ProfileFields>().notNull(),
    // Bumped by every edit; the run that sends records the version it sent, so an edit made meanwhile is sent next.
    version: integer("version").notNull().default(1),
    sentVersion: integer("sent_version"),
    conflicts: jsonb("conflicts").$type<ProfileConflict[]>(),
    // What was kept here on purpose (a shared company or family contact's address), or why nothing was sent.
    note: text("note"),
    requestedAt: timestamptz("requested_at").notNull().defaultNow(),
    sentAt: timestamptz("sent_at"),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [check("zoho_profile_updates_status_check", sql`${t.status} in ${sql.raw(sqlList(PROFILE_UPDATE_STATES))}`)],
);

// Append-only history of everything that happened to a customer's sync.
export const zohoSyncEvents = pgTable(
  "zoho_sync_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    jobId: uuid("job_id"),
    at: timestamptz("at").notNull().defaultNow(),
    action: varchar("action", { length: 40 }).notNull(),
    outcome: varchar("outcome", { length: 40 }).notNull(),
    matchType: varchar("match_type", { length: 20 }),
    zohoCalls: integer("zoho_calls").notNull().default(0),
    error: text("error"),
    durationMs: integer("duration_ms"),
    actorUserId: uuid("actor_user_id"),
    details: jsonb("details").$type<Record<string, unknown>>(),
  },
  (t) => [index("zoho_sync_events_customer_idx").on(t.customerId, t.at.desc())],
);

// The single Zoho connection of this shop (row id = 1).
export const zohoTokens = pgTable("zoho_tokens", {
  id: integer("id").primaryKey().default(1),
  status: varchar("status", { length: 30 }).notNull(), // connected | reconnect_needed
  refreshTokenEnc: text("refresh_token_enc").notNull(),
  accessTokenEnc: text("access_token_enc"),
  accessTokenExpiresAt: timestamptz("access_token_expires_at"),
  apiDomain: text("api_domain").notNull(),
  accountsServer: text("accounts_server").notNull(),
  dataCentre: varchar("data_centre", { length: 10 }),
  scopes: text("scopes").notNull(),
  organizationId: text("organization_id"),
  organizationName: text("organization_name"),
  connectedAt: timestamptz("connected_at").notNull().defaultNow(),
  connectedBy: uuid("connected_by"),
  lastError: text("last_error"),
  lastErrorAt: timestamptz("last_error_at"),
  // Only one refresh at a time: whoever sets this lease refreshes, the others wait.
  refreshLockedUntil: timestamptz("refresh_locked_until"),
  updatedAt: timestamptz("updated_at").notNull().defaultNow(),
});

// Every Zoho call counted per UTC day before it is made.
export const zohoApiLedger = pgTable("zoho_api_ledger", {
  day: date("day", { mode: "string" }).primaryKey(),
  total: integer("total").notNull().default(0),
  sync: integer("sync").notNull().default(0),
  invoice: integer("invoice").notNull().default(0),
  admin: integer("admin").notNull().default(0),
  refused: integer("refused").notNull().default(0),
  tokenRefreshes: integer("token_refreshes").notNull().default(0),
  // Sync calls spent by runs that ended waiting (Zoho's 429, its limit met halfway): counted in `sync` too.
  syncWasted: integer("sync_wasted").notNull().default(0),
  // The mirror's own reads (its first full read and the hourly incremental reads; app/zoho/mirror/).
  mirror: integer("mirror").notNull().default(0),
});

// Calls per UTC minute, so the consumer paces itself under Zoho's 100 requests/minute/organisation.
export const zohoApiMinutes = pgTable("zoho_api_minutes", {
  minute: timestamptz("minute").primaryKey(),
  calls: integer("calls").notNull().default(0),
});

// Zoho Books calls in flight from this app (app/zoho/in-flight.server.ts): slots 1..ZOHO_MAX_CONCURRENT_CALLS,
// each held by one call from just before it is sent until its answer, and at most its timeout and a margin.
export const zohoCallSlots = pgTable("zoho_call_slots", {
  slot: integer("slot").primaryKey(),
  heldUntil: timestamptz("held_until"),
  holder: uuid("holder"),
});

export const cronRuns = pgTable(
  "cron_runs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    trigger: varchar("trigger", { length: 20 }).notNull(), // cron | http
    startedAt: timestamptz("started_at").notNull().defaultNow(),
    finishedAt: timestamptz("finished_at"),
    leasesRecovered: integer("leases_recovered").notNull().default(0),
    jobsEnqueued: integer("jobs_enqueued").notNull().default(0),
    skippedForBudget: integer("skipped_for_budget").notNull().default(0),
    error: text("error"),
  },
  (t) => [index("cron_runs_started_idx").on(t.startedAt.desc())],
);

export const zohoInvoiceCache = pgTable(
  "zoho_invoice_cache",
  {
    contactId: text("contact_id").notNull(),
    page: integer("page").notNull(),
    fetchedAt: timestamptz("fetched_at").notNull().defaultNow(),
    invoices: jsonb("invoices").$type<unknown[]>().notNull(),
    hasMore: boolean("has_more").notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.contactId, t.page] })],
);

// Zoho calls each linked contact's order-history browsing caused per UTC day (capped by
// ZOHO_ORDERS_CALLS_PER_CUSTOMER, so one person cannot spend the whole order-history share).
export const zohoOrderCalls = pgTable(
  "zoho_order_calls",
  {
    day: date("day", { mode: "string" }).notNull(),
    contactId: text("contact_id").notNull(),
    calls: integer("calls").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.day, t.contactId] })],
);

// Customers per (sync status, type), kept by triggers on customers (drizzle/: customer_counts), so the
// admin list's chips and the dashboard never count 100,000+ rows. Each change lands on one of 16 shards
// (random) so concurrent registrations do not queue on a single counter row; readers sum the shards.
export const customerStatusCounts = pgTable(
  "customer_status_counts",
  {
    zohoSyncStatus: varchar("zoho_sync_status", { length: 20 }).$type<SyncStatus>().notNull(),
    isReturningCustomer: boolean("is_returning_customer").notNull(),
    shard: integer("shard").notNull(),
    n: integer("n").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.zohoSyncStatus, t.isReturningCustomer, t.shard] })],
);

export const backfillRuns = pgTable("backfill_runs", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  startedAt: timestamptz("started_at").notNull().defaultNow(),
  startedBy: uuid("started_by"),
  total: integer("total").notNull().default(0),
  enqueued: integer("enqueued").notNull().default(0),
  finishedAt: timestamptz("finished_at"),
});

// Sync as a whole (row id = 1): paused while Zoho is unavailable, probed at growing intervals
// (app/sync/outage.ts is the state machine; app/sync/outage-store.server.ts its only writer).
// The line of sync jobs the per-minute pace turned away (app/sync/pace-line.server.ts): one row, the time
// of the next free slot. Each job turned away takes a slot and moves it on by one job's share of a minute.
export const zohoPaceLine = pgTable("zoho_pace_line", {
  id: integer("id").primaryKey().default(1),
  nextSlot: timestamptz("next_slot").notNull(),
});

export const zohoSyncHealth = pgTable("zoho_sync_health", {
  id: integer("id").primaryKey().default(1),
  paused: boolean("paused").notNull().default(false),
  // Jobs whose latest run failed because Zoho was unavailable, in a row since the last success.
  streakJobs: jsonb("streak_jobs").$type<string[]>().notNull().default([]),
  pausedSince: timestamptz("paused_since"),
  nextProbeAt: timestamptz("next_probe_at"),
  probeDelayMs: integer("probe_delay_ms").notNull().default(60_000),
  lastError: text("last_error"),
  updatedAt: timestamptz("updated_at").notNull().defaultNow(),
});

// The admin audit log (app/audit/ is its only writer): append-only. The database refuses UPDATE and TRUNCATE,
// and DELETE of rows younger than the retention in admin_audit_policy (trigger in drizzle/0021). Ids only, no
// personal data, and no foreign keys: a customer's erasure or an admin's removal leaves the trail as it is.
export const adminAuditLog = pgTable(
  "admin_audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamptz("at").notNull().defaultNow(),
    adminId: uuid("admin_id"),
    action: varchar("action", { length: 60 }).notNull(),
    clientAddress: varchar("client_address", { length: 64 }),
    customerIds: uuid("customer_ids").array().notNull().default(sql`'{}'::uuid[]`),
    contactId: varchar("contact_id", { length: 40 }),
    count: integer("count"),
    before: jsonb("before").$type<Record<string, unknown>>(),
    after: jsonb("after").$type<Record<string, unknown>>(),
    reason: text("reason"),
  },
  (t) => [
    index("admin_audit_log_at_idx").on(t.at),
    index("admin_audit_log_admin_idx").on(t.adminId, t.id.desc()),
    index("admin_audit_log_customers_idx").using("gin", t.customerIds),
  ],
);

// One row (id = 1): how many days the audit log keeps rows; the trigger reads it, the hourly prune sets it
// from AUDIT_RETENTION_DAYS. Never below 30 days, so nobody can empty the log by lowering it.
export const adminAuditPolicy = pgTable(
  "admin_audit_policy",
  {
    id: integer("id").primaryKey().default(1),
    retentionDays: integer("retention_days").notNull().default(400),
  },
  (t) => [check("admin_audit_policy_one_row", sql`${t.id} = 1`), check("admin_audit_policy_min_days", sql`${t.retentionDays} >= 30`)],
);

// Every call to Zoho (Books and Accounts) with what it was for and what Zoho answered (app/zoho/call-log.server.ts
// is its only writer). Query strings are stored with tokens, secrets and email addresses removed.
export const zohoCallLog = pgTable(
  "zoho_call_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamptz("at").notNull().defaultNow(),
    purpose: varchar("purpose", { length: 20 }).notNull(),
    method: varchar("method", { length: 10 }).notNull(),
    path: varchar("path", { length: 500 }).notNull(),
    httpStatus: integer("http_status"),
    zohoCode: integer("zoho_code"),
    message: varchar("message", { length: 300 }),
    durationMs: integer("duration_ms").notNull(),
    customerId: uuid("customer_id"),
    adminId: uuid("admin_id"),
  },
  (t) => [
    index("zoho_call_log_at_idx").on(t.at),
    index("zoho_call_log_customer_idx").on(t.customerId, t.id.desc()),
  ],
);
// The mirror of Zoho's directory and invoices (app/zoho/mirror/, docs/decisions/036-zoho-mirror.md): only what
// matching and order history need. Zoho's times are kept as Zoho's clock gave them.
export const zohoMirrorContacts = pgTable(
  "zoho_mirror_contacts",
  {
    contactId: text("contact_id").primaryKey(),
    name: text("name").notNull(),
    company: text("company").notNull().default(""),
    // The primary contact person's email, trimmed and lower-cased ("" when none).
    email: text("email").notNull().default(""),
    status: text("status").notNull(),
    contactType: text("contact_type").notNull(),
    lastModifiedTime: timestamptz("last_modified_time").notNull(),
    // Gone from Zoho (a 404 when the contact was read): kept so a link to it can be vetted.
    deletedAt: timestamptz("deleted_at"),
    seenAt: timestamptz("seen_at").notNull().defaultNow(),
  },
  (t) => [index("zoho_mirror_contacts_email_idx").on(t.email)],
);

export const zohoMirrorInvoices = pgTable(
  "zoho_mirror_invoices",
  {
    invoiceId: text("invoice_id").primaryKey(),
    customerId: text("customer_id").notNull(),
    invoiceNumber: text("invoice_number").notNull(),
    date: text("date").notNull(),
    dueDate: text("due_date"),
    status: text("status").notNull(),
    total: text("total").notNull(),
    balance: text("balance").notNull(),
    currencyCode: text("currency_code").notNull(),
    lastModifiedTime: timestamptz("last_modified_time").notNull(),
    // Last seen in a Zoho answer: an invoice the weekly full pass did not see was deleted in Zoho.
    seenAt: timestamptz("seen_at").notNull().defaultNow(),
  },
  (t) => [index("zoho_mirror_invoices_customer_idx").on(t.customerId, t.date)],
);

// The mirror's progress (one row, id = 1): the first full read page by page (resumable), then the watermarks
// of the incremental reads and a short lease so one refresh serves every job waiting on it.
export const zohoMirrorState = pgTable("zoho_mirror_state", {
  id: integer("id").primaryKey().default(1),
  // Zoho's newest contact change when the full read began: the first incremental read goes back to it.
  fullReadMark: timestamptz("full_read_mark"),
  // The next page to read: contacts, then invoices (phase), 200 a page.
  fullReadPhase: text("full_read_phase").notNull().default("contacts"),
  fullReadPage: integer("full_read_page").notNull().default(1),
  fullReadStartedAt: timestamptz("full_read_started_at"),
  fullReadDoneAt: timestamptz("full_read_done_at"),
  contactsWatermark: timestamptz("contacts_watermark"),
  contactsRefreshedAt: timestamptz("contacts_refreshed_at"),
  invoicesWatermark: timestamptz("invoices_watermark"),
  invoicesRefreshedAt: timestamptz("invoices_refreshed_at"),
  // Who reads now, until when (a killed isolate's lease ends by itself).
  contactsLeaseUntil: timestamptz("contacts_lease_until"),
  invoicesLeaseUntil: timestamptz("invoices_lease_until"),
  fullReadLeaseUntil: timestamptz("full_read_lease_until"),
  // The weekly full pass (once the first full read is done): started at (null = none under way), the next page
  // (contacts, then confirming the contacts it did not see, then invoices), when the last one completed.
  passStartedAt: timestamptz("pass_started_at"),
  passPhase: text("pass_phase").notNull().default("contacts"),
  passPage: integer("pass_page").notNull().default(1),
  passDoneAt: timestamptz("pass_done_at"),
  lastError: text("last_error"),
  // Reconciliation's counts by kind, stored by the hourly maintenance so that the dashboard does not scan every
  // linked customer on each view (app/zoho/mirror/reconciliation.server.ts); the page itself reads live.
  reconciliationCounts: jsonb("reconciliation_counts").$type<Record<string, number>>(),
  reconciliationCountedAt: timestamptz("reconciliation_counted_at"),
});
