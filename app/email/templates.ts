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

// No mail to a registrant's address carries text the registrant typed (a name can be anything until checked,
// and this mail goes to whatever address was typed): the greeting is the shop's own words.
export function verifyEmailMail(p: { appUrl: string; token: string }): MailContent {
  return render(`Confirm your email address for ${SHOP}`, [
    { kind: "p", text: "Hello," },
    { kind: "p", text: `Please confirm that this is your email address. Until you do, we do not look up or link your customer records.` },
    { kind: "link", label: "Confirm my email address", url: appLink(p.appUrl, "/verify-email", { token: p.token }) },
    { kind: "p", text: "The link works once and expires in 24 hours. If you did not create an account, ignore this mail: the account is removed after 7 days." },
  ]);
}

export function resetPasswordMail(p: { appUrl: string; token: string }): MailContent {
  return render(`Reset your ${SHOP} password`, [
    { kind: "p", text: "Somebody (hopefully you) asked to reset the password of your account." },
    { kind: "link", label: "Choose a new password", url: appLink(p.appUrl, "/reset-password", { token: p.token }) },
    { kind: "p", text: "The link works once and expires in 1 hour. Choosing a new password signs you out everywhere. If you did not ask for this, ignore this mail: your password stays as it is." },
  ]);
}

export function failureDigestMail(p: { appUrl: string; customers: Array<{ id: string; name: string; email: string; error: string | null }>; more: number }): MailContent {
  const n = p.customers.length + p.more;
  return render(`Zoho sync: ${n} customer${n === 1 ? "" : "s"} failed`, [
    { kind: "p", text: `Zoho Books sync failed for ${n} customer${n === 1 ? "" : "s"} since the last digest:` },
    { kind: "list", items: p.customers.map((c) => `${c.name} <${c.email}>: ${c.error ?? "unknown error"} (${appLink(p.appUrl, `/admin/customers/${c.id}`)})`) },
    ...(p.more > 0 ? [{ kind: "p" as const, text: `…and ${p.more} more.` }] : []),
    { kind: "link", label: "See every failed customer", url: appLink(p.appUrl, "/admin/customers", { status: "failed" }) },
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
