// The hourly maintenance the scheduled handler runs after the sync sweep (workers/app.ts): apart from the
// sweep, which only recovers leases and enqueues sync work. Each task handles its own failure, so one that
// fails never stops the others: tables that only grow are trimmed, failures since the last digest are
// mailed to admins, and mail that failed earlier is retried (with backoff, app/email/outbox.server.ts).
import { mintToken } from "~/auth/email-tokens.server";
import { sendFailureDigest } from "~/alerts/alerts.server";
import type { AppServices } from "~/context.server";
import { deliverMail } from "~/email/outbox.server";
import { log } from "~/log.server";
import { housekeeping } from "./housekeeping.server";

export async function runMaintenance(app: AppServices) {
  const trimmed = await housekeeping(app.db).catch((error) => log("warn", "housekeeping failed", { error }));
  if (trimmed) log("info", "housekeeping", trimmed);
  await sendFailureDigest(app).catch((error) => log("warn", "failure digest failed", { error }));
  const mail = await deliverMail(app, mintToken).catch((error) => log("warn", "mail retry failed", { error }));
  if (mail && (mail.sent || mail.failed)) log("info", "mail retried", mail);
}
