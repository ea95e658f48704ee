// The hourly maintenance the scheduled handler runs after the sync sweep (workers/app.ts): apart from the
// sweep, which only recovers leases and enqueues sync work. Each task handles its own failure, so one that
// fails never stops the others: tables that only grow are trimmed, email changes past their 7 days end, failures since the last digest are
// mailed to admins, and mail that failed earlier is retried (with backoff, app/email/outbox.server.ts). The two
// trails are pruned past their retention: the admin audit log (AUDIT_RETENTION_DAYS; its trigger refuses
// anything younger) and the Zoho call log (ZOHO_CALL_LOG_RETENTION_DAYS). And the mirror of Zoho's directory
// reads on (its first full read, then the incremental reads and the weekly full pass; app/zoho/mirror/), after
// which links to contacts that changed in Zoho are re-vetted (app/sync/mirror-revet.server.ts).
import { sendFailureDigest } from "~/alerts/alerts.server";
import { pruneAuditLog } from "~/audit/audit.server";
import { pruneZohoCallLog } from "~/zoho/call-log.server";
import type { AppServices } from "~/context.server";
import { deliverMail } from "~/email/outbox.server";
import { expireEmailChanges } from "~/customers/email-change.server";
import { log } from "~/log.server";
import { revetLinksFromMirror } from "~/sync/mirror-revet.server";
import { hourlyMirror } from "~/zoho/mirror/read.server";
import { recountReconciliation } from "~/zoho/mirror/reconciliation.server";
import { housekeeping } from "./housekeeping.server";

export async function runMaintenance(app: AppServices) {
  const trimmed = await housekeeping(app.db).catch((error) => log("warn", "housekeeping failed", { error }));
  if (trimmed) log("info", "housekeeping", trimmed);
  const audit = await pruneAuditLog(app.db, app.env.AUDIT_RETENTION_DAYS).catch((error) => log("warn", "pruning the audit log failed", { error }));
  const calls = await pruneZohoCallLog(app.db, app.env.ZOHO_CALL_LOG_RETENTION_DAYS).catch((error) => log("warn", "pruning the Zoho call log failed", { error }));
  if (audit || calls) log("info", "trails pruned", { auditRows: audit ?? 0, zohoCalls: calls ?? 0 });
  const emails = await expireEmailChanges(app.db).catch((error) => log("warn", "expiring email changes failed", { error }));
  if (emails) log("info", "email changes expired", emails);
  await sendFailureDigest(app).catch((error) => log("warn", "failure digest failed", { error }));
  const mail = await deliverMail(app).catch((error) => log("warn", "mail retry failed", { error }));
  if (mail && (mail.sent || mail.failed)) log("info", "mail retried", mail);
  const mirror = await hourlyMirror(app).catch((error) => log("warn", "the mirror's hourly read failed", { error }));
  if (mirror && !("skipped" in mirror)) log("info", "mirror read", mirror);
  // Links out of step with what the mirror now holds (its reads, a sync decision's refresh, the weekly pass): no call.
  if (app.env.MIRROR_FULL_READ_DAILY_CALLS > 0) await revetLinksFromMirror(app.db).catch((error) => log("warn", "re-vetting links after Zoho changes failed", { error }));
  // Reconciliation's counts for the dashboard, once an hour instead of on every view (no Zoho call).
  await recountReconciliation(app.db, app.env).catch((error) => log("warn", "counting reconciliation's differences failed", { error }));
}
