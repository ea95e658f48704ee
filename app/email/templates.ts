import { formatDateTime } from "~/common/format";

// Every mail the portal sends: a plain-text part (what spam filters and text clients read) and a
// simple HTML part built from the same lines. Links are absolute, built from APP_URL.
export type MailContent = { subject: string; text: string; html: string };

type Block = { kind: "p"; text: string } | { kind: "link"; label: string; url: string } | { kind: "list"; items: string[] };

const SHOP = "Cangoods";

function escapeHtml(s: string) {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function render(subject: string, blocks: Block[]): MailContent {
  const text = blocks
    .map((b) => (b.kind === "p" ? b.text : b.kind === "link" ? `${b.label}:\n${b.url}` : b.items.map((i) => `- ${i}`).join("\n")))
    .concat(`-- \n${SHOP}`)
    .join("\n\n");
  const body = blocks
    .map((b) =>
      b.kind === "p"
        ? `<p>${escapeHtml(b.text)}</p>`
        : b.kind === "link"
          ? `<p><a href="${escapeHtml(b.url)}">${escapeHtml(b.label)}</a></p>`
          : `<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join("")}</ul>`,
    )
    .join("\n");
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1f2933; max-width: 36rem;">
${body}
<p style="color: #52606d;">${SHOP}</p>
</body></html>`;
  return { subject, text: `${text}\n`, html };
}

export function appLink(appUrl: string, path: string, params: Record<string, string> = {}) {
  const url = new URL(path, appUrl);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

/** "ABCD EFGH": the code in two halves, easier to read and type (spaces are ignored when typed). */
export function spacedCode(code: string) {
  return `${code.slice(0, 4)} ${code.slice(4)}`;
}

// Mails never greet with what a registrant typed (a name can carry a link): they say what happened and when.
export function verifyEmailMail(p: { appUrl: string; token: string; code: string; registeredAt: Date }): MailContent {
  return render(`Confirm your email address for ${SHOP}`, [
    { kind: "p", text: `Someone, hopefully you, created a ${SHOP} account with this email address on ${formatDateTime(p.registeredAt)}.` },
    { kind: "p", text: "If it was you: open the link and press Confirm (in the browser you registered with, or after signing in). Until you do, we do not look up or link any customer records." },
    { kind: "link", label: "Confirm my email address", url: appLink(p.appUrl, "/verify-email", { token: p.token }) },
    { kind: "p", text: `Or sign in and type this code on your account page: ${spacedCode(p.code)} (it works for 15 minutes).` },
    { kind: "p", text: "If it was not you: open the same link and press \"This wasn't me\". The account is removed at once; nothing was looked up or shared." },
    { kind: "p", text: "The link works once and expires in 24 hours. An account that is not confirmed within 7 days is removed." },
  ]);
}

export function resetPasswordMail(p: { appUrl: string; token: string }): MailContent {
  return render(`Reset your ${SHOP} password`, [
    { kind: "p", text: "Somebody (hopefully you) asked to reset the password of your account." },
    { kind: "link", label: "Choose a new password", url: appLink(p.appUrl, "/reset-password", { token: p.token }) },
    { kind: "p", text: "The link works once and expires in 1 hour. Choosing a new password signs you out everywhere. If you did not ask for this, ignore this mail: your password stays as it is." },
  ]);
}

/** An owner invited this address to become an admin (owner or staff) of the shop's console. */
export function adminInvitationMail(p: { appUrl: string; token: string; role: "owner" | "staff"; expiresAt: Date }): MailContent {
  const what = p.role === "owner" ? "an owner (everything, including admins and the Zoho Books connection)" : "staff (customers, review, linking and retries)";
  return render(`You are invited to the ${SHOP} admin console`, [
    { kind: "p", text: `An owner of ${SHOP} invited this address to the admin console as ${what}.` },
    { kind: "link", label: "Accept the invitation and choose a password", url: appLink(p.appUrl, "/accept-invitation", { token: p.token }) },
    { kind: "p", text: `The link works once, until ${formatDateTime(p.expiresAt)}. Opening it changes nothing: you choose a password on the page it opens. If you did not expect this, ignore this mail.` },
  ]);
}

/**
 * Someone registered, or asked to move an account, with an address that already has an account (or a customer
 * record). What they saw said nothing about it; the address's owner learns here what they can do.
 */
export function accountExistsMail(
  p: { appUrl: string } & ({ account: "confirmed" } | { account: "unconfirmed"; registeredAt: Date; token: string; code: string } | { account: "none" }),
): MailContent {
  const intro = { kind: "p" as const, text: `Someone, maybe you, tried to use this email address for a new ${SHOP} account. Nothing new was created.` };
  if (p.account === "confirmed")
    return render(`You already have a ${SHOP} account`, [
      intro,
      { kind: "p", text: "This address already belongs to an account. If you meant to sign in:" },
      { kind: "link", label: "Sign in", url: appLink(p.appUrl, "/login") },
      { kind: "link", label: "Forgot your password? Choose a new one", url: appLink(p.appUrl, "/forgot-password") },
      { kind: "p", text: "If it was not you, there is nothing to do: nobody can use your address without this mailbox." },
    ]);
  if (p.account === "unconfirmed")
    return render(`You already have a ${SHOP} account`, [
      intro,
      { kind: "p", text: `An account was registered with this address on ${formatDateTime(p.registeredAt)} and never confirmed.` },
      { kind: "p", text: "If it is yours: open this link and press Confirm (after signing in), or sign in and type the code below." },
      { kind: "link", label: "Confirm my email address", url: appLink(p.appUrl, "/verify-email", { token: p.token }) },
      { kind: "p", text: `Code: ${spacedCode(p.code)} (it works for 15 minutes).` },
      { kind: "p", text: "If you do not know its password, or it was not you: take it over by choosing a new password. You then check its name and delivery address before anything happens." },
      { kind: "link", label: "Choose a new password", url: appLink(p.appUrl, "/forgot-password") },
      { kind: "p", text: "Or remove it: open the confirmation link above and press \"This wasn't me\"." },
    ]);
  return render(`Your email address at ${SHOP}`, [
    intro,
    { kind: "p", text: "This address is already on our customer records. To open an account with it, or if you did not ask for this, contact us by replying to this mail." },
  ]);
}

export function changeEmailMail(p: { appUrl: string; token: string; code: string }): MailContent {
  return render(`Confirm your new email address for ${SHOP}`, [
    { kind: "p", text: `Someone, hopefully you, asked to use this address for their ${SHOP} account.` },
    { kind: "p", text: "If it was you: open the link and press Confirm while signed in to that account. Until then, signing in and password resets keep using the old address." },
    { kind: "link", label: "Confirm my new email address", url: appLink(p.appUrl, "/confirm-email-change", { token: p.token }) },
    { kind: "p", text: `Or type this code on your account page: ${spacedCode(p.code)} (it works for 15 minutes).` },
    { kind: "p", text: "If it was not you: open the link and press \"This wasn't me\", or ignore this mail; nothing changes." },
  ]);
}

export function emailChangeNoticeMail(p: { appUrl: string; token: string; newAddressHint: string }): MailContent {
  return render(`Your ${SHOP} email address is being changed`, [
    { kind: "p", text: `Someone signed in to your ${SHOP} account asked to change its email address to ${p.newAddressHint}. It changes once that address is confirmed.` },
    { kind: "p", text: "If that was you, there is nothing to do. If it was not you, undo it (for 7 days): your account keeps or gets back this address, and everyone is signed out of it." },
    { kind: "link", label: "Undo the change", url: appLink(p.appUrl, "/undo-email-change", { token: p.token }) },
    { kind: "p", text: "Then choose a new password, in case someone knows yours." },
  ]);
}

type DigestCustomer = { id: string; name: string; email: string; error: string | null };
/** A group of the admin digest: the first customers of the group and how many more. */
export type DigestGroup = { customers: DigestCustomer[]; more: number };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The admin digest: customers whose sync failed, customers waiting for review (several or name-only matches,
 * unverified…) and possible duplicates (linked, but a second Zoho contact has the email), since the last one.
 */
export function failureDigestMail(p: {
  appUrl: string;
  customers: DigestCustomer[];
  more: number;
  review?: DigestGroup;
  duplicates?: DigestGroup;
  /** How many differences between the portal and Zoho the mirror shows now (/admin/reconciliation); absent or 0: no line. */
  reconciliation?: number;
}): MailContent {
  const failed = p.customers.length + p.more;
  const review = p.review ? p.review.customers.length + p.review.more : 0;
  const duplicates = p.duplicates ? p.duplicates.customers.length + p.duplicates.more : 0;
  const subject = [
    failed ? plural(failed, "customer failed", "customers failed") : null,
    review ? plural(review, "customer waiting for review", "customers waiting for review") : null,
    duplicates ? plural(duplicates, "possible duplicate contact", "possible duplicate contacts") : null,
    p.reconciliation ? plural(p.reconciliation, "difference with Zoho", "differences with Zoho") : null,
  ].filter(Boolean);
  const item = (c: DigestCustomer, fallback: string) => `${c.name} <${c.email}>: ${c.error ?? fallback} (${appLink(p.appUrl, `/admin/customers/${c.id}`)})`;
  const group = (n: number, g: DigestGroup | undefined, intro: string, fallback: string, label: string, query: Record<string, string>) =>
    n && g
      ? [
          { kind: "p" as const, text: intro },
          { kind: "list" as const, items: g.customers.map((c) => item(c, fallback)) },
          ...(g.more > 0 ? [{ kind: "p" as const, text: `…and ${g.more} more.` }] : []),
          { kind: "link" as const, label, url: appLink(p.appUrl, "/admin/customers", query) },
        ]
      : [];
  return render(`Zoho sync: ${subject.join(", ")}`, [
    ...group(failed, { customers: p.customers, more: p.more }, `Zoho Books sync failed for ${plural(failed, "customer", "customers")} since the last digest:`, "unknown error", "See every failed customer", { status: "failed" }),
    ...group(review, p.review, `${plural(review, "customer waits", "customers wait")} for an admin's review since the last digest:`, "needs a review", "See every customer waiting for review", { status: "skipped" }),
    ...group(
      duplicates,
      p.duplicates,
      `${plural(duplicates, "customer was", "customers were")} linked, but Zoho has another contact with the same email (possible duplicate):`,
      "possible duplicate",
      "See every possible duplicate",
      { reason: "possible_duplicate" },
    ),
    ...(p.reconciliation
      ? [
          { kind: "p" as const, text: `Reconciliation: ${plural(p.reconciliation, "difference", "differences")} between linked customers and their Zoho contacts (deleted, inactive or merged contacts, other emails, contacts Zoho does not have, possible duplicates).` },
          { kind: "link" as const, label: "See the differences", url: appLink(p.appUrl, "/admin/reconciliation") },
        ]
      : []),
  ]);
}

export function incidentMail(p: { appUrl: string; title: string; details: string; resolved: boolean }): MailContent {
  return render(p.resolved ? `Resolved: ${p.title}` : `Action needed: ${p.title}`, [
    { kind: "p", text: p.resolved ? `${p.title}: this is over, sync is running again.` : `${p.title}. ${p.details}` },
    { kind: "link", label: "Open the admin dashboard", url: appLink(p.appUrl, "/admin") },
  ]);
}

/** "Cangoods <shop@example.com>" → name and address (the SMTP envelope needs the bare address). */
export function parseAddress(value: string): { name?: string; email: string } {
  const m = value.match(/^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/);
  return m ? { name: m[1] || undefined, email: m[2].trim() } : { email: value.trim() };
}
