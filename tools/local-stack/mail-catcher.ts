// The local mail catcher: maildev (an SMTP server with a web inbox and a REST API), started by
// `npm run dev` and the test setups. The Worker sends to it over SMTP exactly as it would to a
// production relay; tests read what arrived through maildev's REST API.
import { spawn } from "node:child_process";
import path from "node:path";
import { ROOT, killTree, waitForHttp } from "./stack";

export type MailCatcher = { smtpPort: number; inboxUrl: string; stop(): Promise<void> };

export async function startMailCatcher(opts: { smtpPort: number; webPort: number; log?: (line: string) => void }): Promise<MailCatcher> {
  const bin = path.join(ROOT, "node_modules/maildev/dist/bin/maildev.js");
  const child = spawn(
    process.execPath,
    [bin, "--smtp", String(opts.smtpPort), "--web", String(opts.webPort), "--ip", "127.0.0.1", "--web-ip", "127.0.0.1", "--silent"],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  const onLine = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line.trim()) opts.log?.(`[mail] ${line}`);
  };
  child.stdout?.on("data", onLine);
  child.stderr?.on("data", onLine);
  const inboxUrl = `http://127.0.0.1:${opts.webPort}`;
  await waitForHttp(`${inboxUrl}/api/email`, 30_000, child);
  return { smtpPort: opts.smtpPort, inboxUrl, stop: () => killTree(child) };
}

/** The Worker's SMTP settings for a local catcher (plain SMTP on loopback, no credentials). */
export function mailCatcherVars(smtpPort: number): Record<string, string> {
  return { SMTP_HOST: "127.0.0.1", SMTP_PORT: String(smtpPort), SMTP_SECURITY: "none", MAIL_FROM: "Cangoods <shop@cangoods.test>" };
}

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
