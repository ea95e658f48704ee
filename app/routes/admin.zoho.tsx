import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { redirect } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { recordAdminAction } from "~/audit/audit.server";
import { requireAdmin, requireOwner } from "~/auth/guards.server";
import { clientAddress } from "~/auth/rate-limit.server";
import { requireRecentFactor } from "~/auth/reauth.server";
import { commitSession, getSession } from "~/auth/session.server";
import { redirectWithToast } from "~/auth/toast.server";
import { IntentButton, PostForm } from "~/components/forms";
import { connectionView, disconnect, startConnect } from "~/zoho/connection.server";
import { ledgerHistory, dailyCap } from "~/zoho/ledger.server";
import { formatDateTime } from "~/components/format";

export const meta: MetaFunction = () => [{ title: "Zoho Books connection · Admin · Cangoods" }];

// Every admin may read the connection's state; only an owner connects, reconnects or disconnects.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await requireAdmin(request, context.app);
  const [today] = await ledgerHistory(context.app.db, 1, new Date(), context.app.env.ZOHO_DAY_TIMEZONE);
  return {
    connection: await connectionView(context.app),
    today,
    limit: context.app.env.ZOHO_DAILY_CALL_LIMIT,
    syncCap: dailyCap("sync", context.app.env),
    isOwner: admin.adminRole === "owner",
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireOwner(request, context.app);
  const formData = await request.formData();
  const intent = formData.get("intent");
  const audit = (action: "zoho.connect_started" | "zoho.disconnected", after?: Record<string, unknown>) =>
    recordAdminAction(context.app.db, { adminId: admin.id, action, clientAddress: clientAddress(request), after });
  if (intent === "connect") {
    const { url, state } = startConnect(context.app);
    await audit("zoho.connect_started");
    const session = await getSession(request, context.app);
    session.set("zohoOAuthState", state);
    return redirect(url, { headers: { "Set-Cookie": await commitSession(session, context.app) } });
  }
  if (intent === "disconnect") {
    await requireRecentFactor(request, context.app, admin, formData, "zoho.disconnected");
    const wasConnected = await disconnect(context.app, admin.id);
    await audit("zoho.disconnected", { wasConnected });
    return redirectWithToast(request, context.app, "/admin/zoho", { kind: "info", message: "Zoho Books disconnected. Sync is paused until you connect again." });
  }
  return Response.json({ error: "Unknown action." }, { status: 400 });
}

const STATE_TEXT = {
  connected: "Connected",
  reconnect_needed: "Reconnect needed",
  not_connected: "Not connected",
} as const;

export default function ZohoConnection() {
  const { connection, today, limit, syncCap, isOwner } = useLoaderData<typeof loader>();
  return (
    <section className="card" aria-labelledby="zoho-title">
      <h1 id="zoho-title">Zoho Books connection</h1>
      <p>
        Status: <strong data-testid="zoho-connection-state">{STATE_TEXT[connection.state]}</strong>
        {connection.dataCentre ? ` · data centre ${connection.dataCentre}` : null}
        {connection.organizationId ? ` · organisation ${connection.organizationId}` : null}
      </p>
      {connection.state === "reconnect_needed" ? (
        <p className="alert" role="alert">
          Zoho no longer accepts this connection{connection.lastError ? `: ${connection.lastError}` : ""}. Customer sync is paused (no
          attempts are used up); reconnect to resume it.
        </p>
      ) : null}
      {connection.state === "not_connected" ? (
        <p>Connect the shop's Zoho Books organisation so new customers are synced automatically.</p>
      ) : null}
      {connection.missingScopes.length > 0 && connection.state !== "not_connected" ? (
        <p className="alert" role="alert">Missing permissions: {connection.missingScopes.join(", ")}. Reconnect and accept all of them.</p>
      ) : null}
      {connection.state !== "not_connected" ? (
        <dl className="facts">
          <dt>Connected since</dt>
          <dd>{formatDateTime(connection.connectedAt)}</dd>
          <dt>Permissions granted</dt>
          <dd data-testid="zoho-scopes">{connection.scopes.join(", ") || "—"}</dd>
          <dt>Last error</dt>
          <dd>{connection.lastError ?? "None"}</dd>
        </dl>
      ) : null}
      <p>
        Zoho calls today: {today.total} of {limit} (sync may use {syncCap}; order history and admin searches have their own shares, see the dashboard).
      </p>
      {isOwner ? (
        <div className="actions">
          <PostForm>
            <IntentButton intent="connect">
              {connection.state === "not_connected" ? "Connect Zoho Books" : "Reconnect Zoho Books"}
            </IntentButton>
          </PostForm>
          {connection.state !== "not_connected" ? (
            <PostForm>
              <IntentButton intent="disconnect" secondary>
                Disconnect
              </IntentButton>
            </PostForm>
          ) : null}
        </div>
      ) : (
        <p className="muted">Only an owner of the shop can connect, reconnect or disconnect Zoho Books.</p>
      )}
    </section>
  );
}
