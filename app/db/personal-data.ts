// Which columns hold a person's data (issue 19). Every text, varchar and jsonb column of app/db/schema.ts is
// listed here (app/db/personal-data.test.ts fails on a new column nobody classified): "personal" columns are
// what account deletion must leave without the person's data and what the data download draws from;
// "secret" columns hold hashes or encrypted tokens (never exported); "operational" ones hold neither.
export type Classification = { kind: "personal" | "secret" | "operational"; why: string };

const personal = (why: string): Classification => ({ kind: "personal", why });
const secret = (why: string): Classification => ({ kind: "secret", why });
const operational = (why: string): Classification => ({ kind: "operational", why });

export const COLUMN_CLASSIFICATION: Record<string, Record<string, Classification>> = {
  users: {
    email: personal("the sign-in address"),
    password_hash: secret("PBKDF2 hash"),
    role: operational("admin or customer"),
    admin_role: operational("owner or staff (admins only)"),
    pending_email: personal("an address asked for, not yet confirmed"),
    previous_email: personal("the address before a change, during its undo window"),
  },
  sessions: {
    id: secret("session id"),
    data: personal("registration drafts (name, address) and the account a browser registered"),
  },
  admin_invitations: {
    email: personal("the invited address"),
    admin_role: operational("owner or staff"),
    token_hash: secret("SHA-256 of a mailed link"),
  },
  // An admin's second factors (app/auth/factors/): secrets and hashes, gone with the admin's account.
  admin_factors: {
    kind: operational("totp or passkey"),
    totp_secret_encrypted: secret("an authenticator app's secret, encrypted with TOKEN_ENCRYPTION_KEY"),
    credential_id: secret("a passkey's credential id"),
    public_key: secret("a passkey's public key"),
    label: operational("the factor's name, chosen by the app"),
  },
  admin_recovery_codes: { code_hash: secret("SHA-256 of a single-use recovery code") },
  auth_throttle: { key: personal("limit keys carry email addresses") },
  email_tokens: {
    token_hash: secret("SHA-256 of a mailed link"),
    purpose: operational("what the link does"),
    email: personal("the address the link was sent to"),
    code_hash: secret("HMAC of a mailed code"),
  },
  email_outbox: {
    kind: operational("which mail"),
    to_address: personal("recipient"),
    content: personal("rendered alerts name customers"),
    last_error: personal("a relay's refusal can quote the recipient"),
  },
  account_closures: {
    reason: operational("not_me or deleted_by_customer"),
    zoho_contact_id: operational("Zoho's id of the contact, kept in Zoho"),
    zoho_link_basis: operational("how the released link had been proven"),
  },
  admin_alerts: { kind: operational("incident kind"), details: operational("incident text (connection, budget), no customer") },
  customers: {
    first_name: personal("name"),
    last_name: personal("name"),
    email: personal("address"),
    phone: personal("mobile number"),
    delivery_method: operational("delivery or pickup"),
    address_line1: personal("delivery address"),
    address_line2: personal("delivery address"),
    city: personal("delivery address"),
    province: personal("delivery address"),
    postal_code: personal("delivery address"),
    zoho_sync_status: operational("sync state"),
    zoho_sync_error: personal("review notes name other accounts' addresses"),
    zoho_contact_id: operational("Zoho's id"),
    zoho_contact_name: personal("the person's name in Zoho"),
    zoho_match_type: operational("how the link was made"),
    zoho_sync_candidates: personal("Zoho contacts (other people) an admin chooses from"),
    zoho_link_basis: operational("how the link was proven"),
    zoho_contact_email: personal("the contact's address in Zoho"),
    zoho_review_reason: operational("why an admin is needed"),
    search_words: personal("words of the name and address (generated)"),
  },
  zoho_sync_queue: {
    action: operational("job kind"),
    last_error: personal("error texts can name contacts and accounts"),
    locked_by: operational("worker id"),
  },
  zoho_sync_events: {
    action: operational("what happened"),
    outcome: operational("how it ended"),
    match_type: operational("how a link was made"),
    error: personal("error and review texts can name accounts"),
    details: personal("contact names of links and candidates"),
  },
  zoho_tokens: {
    status: operational("connection state"),
    refresh_token_enc: secret("encrypted Zoho token"),
    access_token_enc: secret("encrypted Zoho token"),
    api_domain: operational("Zoho host"),
    accounts_server: operational("Zoho host"),
    data_centre: operational("Zoho region"),
    scopes: operational("granted scopes"),
    organization_id: operational("the shop's Zoho organisation"),
    organization_name: operational("the shop's Zoho organisation"),
    last_error: operational("connection error"),
  },
  cron_runs: { trigger: operational("cron or http"), error: operational("sweep error") },
  zoho_invoice_cache: { contact_id: operational("Zoho's id"), invoices: personal("the customer's invoices") },
  zoho_order_calls: { contact_id: operational("Zoho's id") },
  customer_status_counts: { zoho_sync_status: operational("counter key") },
  zoho_sync_health: { streak_jobs: operational("job ids"), last_error: operational("Zoho's error") },
  // The audit log holds ids and states only (app/audit): nothing of a customer, so an erasure leaves it as it is.
  admin_audit_log: {
    action: operational("what the admin did"),
    client_address: operational("the acting admin's client address (never a customer's)"),
    contact_id: operational("Zoho's id"),
    before: operational("ids and sync states before the action"),
    after: operational("ids and sync states after the action"),
    reason: operational("why, in the app's own words (callers never put a customer's data in it)"),
  },
  zoho_call_log: {
    purpose: operational("what the call was for"),
    method: operational("HTTP method"),
    path: personal("a query string can carry a searched name (emails and tokens are removed before the write)"),
    message: personal("Zoho's message can quote a contact's name (emails are removed)"),
  },
  // A copy of Zoho's own directory and invoices (app/zoho/mirror/): Zoho's records, kept in Zoho whatever becomes of
  // a portal account, re-read from it; never part of a customer's export or of an account's deletion.
  zoho_profile_updates: {
    contact_id: operational("a Zoho contact id"),
    status: operational("pending, sent, conflict, failed or not sent"),
    wanted: personal("the name, mobile number and delivery address the customer saved"),
    base: personal("the name, mobile number and delivery address Zoho is believed to hold"),
    conflicts: personal("the portal's and Zoho's values of a field both changed"),
    note: operational("what was kept in the portal, or why nothing was sent (no values)"),
  },
  zoho_mirror_contacts: {
    contact_id: operational("Zoho's id"),
    name: operational("Zoho's display name of the contact (a copy of Zoho's record)"),
    company: operational("Zoho's company name (a copy of Zoho's record)"),
    email: operational("Zoho's primary email, lower-cased (a copy of Zoho's record, for matching)"),
    status: operational("active or inactive"),
    contact_type: operational("customer or vendor"),
  },
  zoho_mirror_invoices: {
    invoice_id: operational("Zoho's id"),
    customer_id: operational("Zoho's contact id"),
    invoice_number: operational("Zoho's invoice number"),
    date: operational("invoice date"),
    due_date: operational("due date"),
    status: operational("Zoho's invoice status"),
    total: operational("amount"),
    balance: operational("amount"),
    currency_code: operational("currency"),
  },
  zoho_mirror_state: {
    full_read_phase: operational("contacts or invoices"),
    pass_phase: operational("the weekly pass's phase: contacts, confirm or invoices"),
    last_error: operational("Zoho's answer to the mirror's last failed read"),
    reconciliation_counts: operational("how many differences of each kind"),
  },
};

/** What replaces an address or a name that other rows quoted, once its account is gone. */
export const ANONYMISED = { email: "(a deleted account)", name: "(a deleted customer)" } as const;

export function personalColumns(): Array<{ table: string; column: string }> {
  return Object.entries(COLUMN_CLASSIFICATION).flatMap(([table, cols]) =>
    Object.entries(cols)
      .filter(([, c]) => c.kind === "personal")
      .map(([column]) => ({ table, column })),
  );
}
