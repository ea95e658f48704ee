// Reading the mail catcher's inbox through maildev's REST API (GET /api/email). Plain fetch, so the
// Playwright tests (Node) and the workerd tests share it.
export type CaughtMail = { id: string; subject: string; text: string; html: string; to: string[]; date: string };

type RawMail = { id: string; subject: string; text?: string; html?: string; to: Array<{ address: string }>; date: string };

export async function inbox(inboxUrl: string): Promise<CaughtMail[]> {
  const res = await fetch(`${inboxUrl}/api/email`);
  if (!res.ok) throw new Error(`mail catcher answered ${res.status}`);
  const raw = (await res.json()) as RawMail[];
  return raw.map((m) => ({
    id: m.id,
    subject: m.subject,
    text: m.text ?? "",
    html: m.html ?? "",
    to: m.to.map((t) => t.address.toLowerCase()),
    date: m.date,
  }));
}

/** Waits for a mail to `to` whose subject matches, newest first (mail arrives after the response). */
export async function waitForMail(inboxUrl: string, to: string, subject: RegExp, timeoutMs = 15_000): Promise<CaughtMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await inbox(inboxUrl)).filter((m) => m.to.includes(to.toLowerCase()) && subject.test(m.subject)).reverse()[0];
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail to ${to} matching ${subject} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** All mails to `to` whose subject matches. */
export async function mailsTo(inboxUrl: string, to: string, subject: RegExp): Promise<CaughtMail[]> {
  return (await inbox(inboxUrl)).filter((m) => m.to.includes(to.toLowerCase()) && subject.test(m.subject));
}

/** The first link in a mail's text part that starts with `prefix` (e.g. the app's /verify-email URL). */
export function linkIn(mail: CaughtMail, prefix: string): string {
  const link = mail.text.split(/\s+/).find((word) => word.startsWith(prefix));
  if (!link) throw new Error(`no ${prefix} link in mail "${mail.subject}"`);
  return link;
}

/** The value of a hidden field in a page's form (the CSRF field, a mailed link's token), as a browser would send it. */
export function hiddenField(html: string, name: string): string {
  const match = html.match(new RegExp(`name="${name}" value="([^"]*)"`)) ?? html.match(new RegExp(`value="([^"]*)" name="${name}"`));
  if (!match) throw new Error(`no hidden field ${name} on the page`);
  return match[1].replace(/&amp;/g, "&");
}

/** The registrant's browser as far as confirming goes: it opens a page and presses a button on it. */
export type ConfirmingBrowser = { press(linkPath: string, intent: "confirm"): Promise<{ status: number; ms: number }> };

/**
 * Confirms each registration the way its registrant does (mail goes out after the registration's response): the
 * link from the mail opens in the browser that registered, which presses Confirm (a GET alone changes nothing).
 * Deletes each mail once used so the inbox stays small under load. Returns the addresses whose mail did not
 * arrive in time or whose Confirm was refused.
 */
export async function confirmRegistrations(inboxUrl: string, appUrl: string, registrants: Map<string, ConfirmingBrowser>, timeoutMs = 60_000): Promise<string[]> {
  const waiting = new Map([...registrants].map(([email, b]) => [email.toLowerCase(), b]));
  const prefix = `${appUrl}/verify-email?token=`;
  const deadline = Date.now() + timeoutMs;
  while (waiting.size > 0 && Date.now() < deadline) {
    for (const mail of await inbox(inboxUrl)) {
      const to = mail.to.find((t) => waiting.has(t));
      if (!to || !mail.text.includes(prefix)) continue;
      const { status } = await waiting.get(to)!.press(linkIn(mail, prefix).slice(appUrl.length), "confirm");
      if (status === 302) waiting.delete(to);
      await fetch(`${inboxUrl}/api/email/${mail.id}`, { method: "DELETE" });
    }
    if (waiting.size > 0) await new Promise((r) => setTimeout(r, 200));
  }
  return [...waiting.keys()];
}
