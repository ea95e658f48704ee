// SMTP from the Worker through worker-mailer (over cloudflare:sockets). One connection per delivery
// run; the library's own logging is off (it would print the conversation, including AUTH).
import { LogLevel, WorkerMailer } from "worker-mailer";
import type { AppEnv } from "~/env.server";
import { parseAddress, type MailContent } from "./templates";

export type Mailer = { send(to: string, content: MailContent): Promise<void>; close(): Promise<void> };

export class MailNotConfigured extends Error {
  constructor() {
    super("SMTP_HOST is not set: mail waits in the outbox");
  }
}

export async function connectMailer(env: AppEnv): Promise<Mailer> {
  if (!env.SMTP_HOST) throw new MailNotConfigured();
  const mailer = await WorkerMailer.connect({
    host: env.SMTP_HOST,
    port: env.SMTP_PORT,
    secure: env.SMTP_SECURITY === "tls",
    startTls: env.SMTP_SECURITY === "starttls",
    credentials: env.SMTP_USERNAME && env.SMTP_PASSWORD ? { username: env.SMTP_USERNAME, password: env.SMTP_PASSWORD } : undefined,
    logLevel: LogLevel.NONE,
    socketTimeoutMs: 10_000,
    responseTimeoutMs: 10_000,
  });
  return {
    send: (to, content) => mailer.send({ from: parseAddress(env.MAIL_FROM), to, subject: content.subject, text: content.text, html: content.html }),
    close: () => mailer.close(),
  };
}

/** An SMTP error without anything that could be a credential (server replies can echo AUTH lines). */
export function describeSendError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/AUTH\s+\S+\s+\S+/gi, "AUTH [redacted]").slice(0, 300);
}

