// The local mail catcher: maildev (an SMTP server with a web inbox and a REST API), started by
// `npm run dev` and the test setups. The Worker sends to it over SMTP exactly as it would to a
// production relay; tests read what arrived through maildev's REST API.
import { spawn } from "node:child_process";
import path from "node:path";
import { killTree, ROOT, waitForHttp } from "./processes";

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

export { confirmRegistrations, inbox, linkIn, mailsTo, waitForMail, type CaughtMail } from "./mail-inbox";
