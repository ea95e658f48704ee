import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { dashboard } from "~/admin/dashboard.server";
import { recordAdminAction } from "~/audit/audit.server";
import { requireAdmin, requireOwner } from "~/auth/guards.server";
import { clientAddress } from "~/auth/rate-limit.server";
import { requireRecentFactor } from "~/auth/reauth.server";
import { redirectWithToast } from "~/auth/toast.server";
import { IntentButton, PostForm } from "~/components/forms";
import { STATUS_LABEL } from "~/components/status-badge";
import { SYNC_STATUSES } from "~/db/schema";
import { startBackfill } from "~/sync/backfill.server";
import { retryAllFailed, retryAllPlan } from "~/sync/admin-actions.server";
import { RetryAllSchema } from "~/admin/schemas";
import { OutageBanner, RecoveryCard } from "~/components/sync-recovery";
import { formatDateTime } from "~/components/format";
import { BudgetShares } from "~/components/budget-shares";
import { undeliveredMail } from "~/email/outbox.server";
import { closureCounts, deletedAccountContacts } from "~/customers/account-closure.server";
import { DataTable } from "~/components/tables";
import { MirrorCard, ReconciliationCard } from "~/components/mirror-cards";

export const meta: MetaFunction = () => [{ title: "Admin · Cangoods" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await requireAdmin(request, context.app);
  const db = context.app.db;
  const [closures, deletedContacts] = await Promise.all([closureCounts(db), deletedAccountContacts(db, 10)]);
  const confirmingRetryAll = new URL(request.url).searchParams.get("confirm") === "retry_all";
  return { email: admin.email, isOwner: admin.adminRole === "owner", ...(await dashboard(context.app)), mail: await undeliveredMail(db), closures, deletedContacts, confirmingRetryAll };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, context.app);
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "retry_all_failed") {
    const submission = parseWithZod(formData, { schema: RetryAllSchema });
    if (submission.status !== "success") return data(submission.reply(), { status: 400 });
    await requireRecentFactor(request, context.app, admin, formData, "customers.retry_all_failed");
    const now = (await retryAllPlan(context.app)).total;
    // The list changed since the admin read the plan: show the new one and ask again.
    if (now !== submission.value.expected)
      return data(submission.reply({ formErrors: [`The number of failed customers changed to ${now} since you looked. Check the plan and confirm again.`] }), { status: 409 });
    const r = await retryAllFailed(context.app, admin.id);
    await recordAdminAction(context.app.db, {
      adminId: admin.id,
      action: "customers.retry_all_failed",
      clientAddress: clientAddress(request),
      customerIds: r.customerIds,
      count: r.total,
    });
    return redirectWithToast(request, context.app, "/admin", {
      kind: r.total ? "success" : "info",
      message: r.total
        ? `${r.total} failed customers queued again (${r.sentNow} now, the rest within the next days' budget)${r.eta.finishesAt ? `; done by about ${formatDateTime(r.eta.finishesAt)}` : ""}.`
        : "No failed customers to retry.",
    });
  }
  if (intent !== "backfill") return Response.json({ error: "Unknown action." }, { status: 400 });
  // Backfill spends days of the sync budget for every old customer at once: an owner's decision.
  await requireOwner(request, context.app);
  await requireRecentFactor(request, context.app, admin, formData, "customers.backfill");
  const result = await startBackfill(context.app, admin.id);
  await recordAdminAction(context.app.db, {
    adminId: admin.id,
    action: "customers.backfill",
    clientAddress: clientAddress(request),
    customerIds: result.customerIds,
    count: result.total,
    after: { runId: result.runId, perDay: result.perDay },
  });
  return redirectWithToast(request, context.app, "/admin", {
    kind: result.total ? "success" : "info",
    message: result.total
      ? `Backfill started: ${result.total} customers queued, up to ${result.perDay} per day within the Zoho budget.`
      : "Nothing to backfill: every customer already has a sync job.",
  });
}


export default function AdminDashboard() {
  const d = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  // Only "Retry all failed" answers with a form reply (the count changed since the admin confirmed).
  const retryAllErrors = (lastResult as { error?: Record<string, string[] | null> | null } | undefined)?.error?.[""] ?? null;
  const attention = d.counts.failed + d.counts.skipped;
  const max = Math.max(1, ...d.history.map((h) => h.total), d.budget.limit / 4);
  return (
    <>
      <h1>Dashboard</h1>
      <p className="muted">{`Signed in as ${d.email}.`}</p>
      {d.connection.state !== "connected" ? (
        <div className="alert-banner" role="alert">
          <strong>{d.connection.state === "reconnect_needed" ? "Zoho Books needs reconnecting." : "Zoho Books is not connected."}</strong> Customer sync is
          paused; no attempts are being used up.{d.connection.lastError ? ` Zoho said: ${d.connection.lastError}` : ""}
          {d.isOwner ? (
            <PostForm action="/admin/zoho" className="actions">
              <IntentButton intent="connect">
                {d.connection.state === "reconnect_needed" ? "Reconnect Zoho Books" : "Connect Zoho Books"}
              </IntentButton>
              <Link to="/admin/zoho">Connection details</Link>
            </PostForm>
          ) : (
            <p>
              Ask an owner of the shop to {d.connection.state === "reconnect_needed" ? "reconnect" : "connect"} it. <Link to="/admin/zoho">Connection details</Link>
            </p>
          )}
        </div>
      ) : null}
      {d.mail.retrying + d.mail.givenUp > 0 ? (
        <div className="alert-banner" role="alert" data-testid="mail-problems">
          {`${d.mail.retrying + d.mail.givenUp} emails (confirmation links, password resets, alerts) could not be sent${
            d.mail.givenUp > 0 ? `; ${d.mail.givenUp} were given up after 8 tries` : "; they are retried every hour"
          }. Check the SMTP settings (see the Worker logs).`}
        </div>
      ) : null}
      <OutageBanner outage={d.outage} />
      {attention > 0 ? (
        <div className="alert-banner" role="alert" data-testid="attention">
          {d.counts.failed > 0 ? <Link to="/admin/customers?status=failed">{`${d.counts.failed} failed`}</Link> : null}
          {d.counts.failed > 0 && d.counts.skipped > 0 ? " and " : null}
          {d.counts.skipped > 0 ? <Link to="/admin/customers?status=skipped">{`${d.counts.skipped} waiting for review`}</Link> : null}
          {" need an admin."}
        </div>
      ) : null}

      <section className="card" aria-labelledby="status-title">
        <h2 id="status-title">Customers by Zoho sync status</h2>
        <div className="grid">
          {SYNC_STATUSES.map((s) => (
            <Link key={s} to={`/admin/customers?status=${s}`} className="stat-link" data-testid={`count-${s}`}>
              <p className="stat">{d.counts[s]}</p>
              <span>{STATUS_LABEL[s]}</span>
            </Link>
          ))}
        </div>
        <p className="muted">{`${d.total} customers in total.`}</p>
      </section>

      <div className="grid">
        <section className="card" aria-labelledby="jobs-title">
          <h2 id="jobs-title">Sync jobs</h2>
          <dl className="facts">
            <dt>Due now</dt>
            <dd data-testid="jobs-due">{d.jobs.due}</dd>
            <dt>Running</dt>
            <dd data-testid="jobs-in-flight">{d.jobs.inFlight}</dd>
            <dt>Scheduled later</dt>
            <dd>{d.jobs.scheduled}</dd>
            <dt>Last hourly run</dt>
            <dd data-testid="last-run">
              {d.lastRun
                ? `${formatDateTime(d.lastRun.startedAt)}: ${d.lastRun.jobsEnqueued} queued, ${d.lastRun.leasesRecovered} recovered, ${d.lastRun.skippedForBudget} skipped for budget${d.lastRun.error ? ` (${d.lastRun.error})` : ""}`
                : "Not run yet"}
            </dd>
          </dl>
        </section>

        <section className="card" aria-labelledby="budget-title">
          <h2 id="budget-title">Zoho calls today</h2>
          <p className="stat" data-testid="calls-today">
            {d.budget.today.total} <span className="muted">/ {d.budget.limit}</span>
          </p>
          <meter min={0} max={d.budget.limit} low={d.budget.syncCap * 0.8} high={d.budget.syncCap} optimum={0} value={d.budget.today.total} aria-label="Zoho calls used today">
            {d.budget.today.total} of {d.budget.limit}
          </meter>
          <BudgetShares shares={d.budget.shares} refused={d.budget.today.refused} backlog={d.budget.backlog} />
        </section>
      </div>

      <RecoveryCard retryAll={d.retryAllEta} confirming={d.confirmingRetryAll} errors={retryAllErrors} />

      <div className="grid">
        <MirrorCard mirror={d.mirror} />
        <ReconciliationCard reconciliation={d.reconciliation} />
      </div>

      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">Zoho calls, last 14 days</h2>
        {/* SVG attributes, not inline styles: the Content-Security-Policy allows no inline style. */}
        <svg className="bars" aria-hidden="true" viewBox={`0 0 ${Math.max(1, d.history.length)} 100`} preserveAspectRatio="none">
          {d.history.map((h, i) => {
            const height = Math.max(0.5, (h.total / max) * 100);
            return (
              <rect key={h.day} x={i + 0.1} width={0.8} y={100 - height} height={height}>
                <title>{`${h.day}: ${h.total}`}</title>
              </rect>
            );
          })}
        </svg>
        <details>
          <summary>Show as a table</summary>
          <DataTable columns={[{ header: "Day (UTC)" }, { header: "Calls" }, { header: "Sync" }, { header: "Refused" }]}>
            {d.history.map((h) => (
              <tr key={h.day}>
                <td>{h.day}</td>
                <td>{h.total}</td>
                <td>{h.sync}</td>
                <td>{h.refused}</td>
              </tr>
            ))}
          
          </DataTable>
        </details>
      </section>

      <section className="card" aria-labelledby="backfill-title">
        <h2 id="backfill-title">Backfill existing customers</h2>
        {d.backfill ? (
          <>
            <p data-testid="backfill-progress">{`Last backfill: ${d.backfill.done} of ${d.backfill.total} processed (started ${formatDateTime(d.backfill.startedAt)}).`}</p>
            <progress max={Math.max(1, d.backfill.total)} value={d.backfill.done} aria-label="Backfill progress" />
          </>
        ) : null}
        <p>{`${d.backfillEligible} customers have never been queued for Zoho sync.`}</p>
        {d.isOwner ? (
          <PostForm>
            <IntentButton intent="backfill" disabled={d.backfillEligible === 0}>
              Queue them for sync
            </IntentButton>
          </PostForm>
        ) : (
          <p className="muted">Only an owner of the shop can start a backfill.</p>
        )}
      </section>

      <section className="card" aria-labelledby="closures-title">
        <h2 id="closures-title">Accounts that ended</h2>
        <dl className="facts">
          <dt>&ldquo;This wasn&apos;t me&rdquo;</dt>
          <dd data-testid="not-me-count">{`${d.closures.notMe} unconfirmed registrations removed by the address's owner (${d.closures.notMeLast30Days} in the last 30 days)`}</dd>
          <dt>Deleted by the customer</dt>
          <dd data-testid="deleted-count">{`${d.closures.deleted} accounts`}</dd>
        </dl>
        <p className="muted">No addresses are kept for these. A deleted account&apos;s Zoho contact is not deleted: it stays in Zoho Books.</p>
        {d.deletedContacts.length ? (
          <ul aria-label="Zoho contacts whose account was deleted" data-testid="deleted-contacts">
            {d.deletedContacts.map((c) => (
              <li key={`${c.contactId}-${String(c.at)}`}>{`Zoho contact ${c.contactId}: account deleted by the customer on ${formatDateTime(c.at)}`}</li>
            ))}
          </ul>
        ) : null}
      </section>
    </>
  );
}
