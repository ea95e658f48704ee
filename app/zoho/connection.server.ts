// Connecting, reconnecting and disconnecting Zoho Books (EPIC 11), and what the admin sees of it.
import type { AppServices } from "~/context.server";
import { log } from "~/log.server";
import { ZohoError } from "./errors";
import { authorizeUrl, exchangeCode, revokeRefreshToken, ZOHO_SCOPES } from "./oauth.server";
import { isTrustedAccountsServer, regionFor } from "./regions";
import { decryptRefreshToken, deleteConnection, getConnection, saveConnection } from "./tokens.server";

export type ConnectionView = {
  state: "not_connected" | "connected" | "reconnect_needed";
  dataCentre: string | null;
  organizationId: string | null;
  scopes: string[];
  missingScopes: string[];
  connectedAt: string | null;
  lastError: string | null;
};

export async function connectionView(app: AppServices): Promise<ConnectionView> {
  const conn = await getConnection(app.db);
  if (!conn)
    return { state: "not_connected", dataCentre: null, organizationId: null, scopes: [], missingScopes: [...ZOHO_SCOPES], connectedAt: null, lastError: null };
  const scopes = conn.scopes.split(/[ ,]+/).filter(Boolean);
  const granted = new Set(scopes.map((s) => s.toLowerCase()));
  return {
    state: conn.status === "connected" ? "connected" : "reconnect_needed",
    dataCentre: conn.dataCentre,
    organizationId: conn.organizationId,
    scopes,
    missingScopes: ZOHO_SCOPES.filter((s) => !granted.has(s.toLowerCase()) && !granted.has("zohobooks.fullaccess.all")),
    connectedAt: conn.connectedAt.toISOString(),
    lastError: conn.lastError,
  };
}

/** Starts the consent flow: the caller keeps `state` (in the session) to check it on the way back. */
export function startConnect(app: AppServices) {
  const state = crypto.randomUUID();
  return { url: authorizeUrl(app.env, state), state };
}

export type CallbackResult = { ok: true } | { ok: false; message: string };

/**
 * Finishes the consent flow. `expected` is the state kept by startConnect's caller (single-use: the caller
 * forgets it); on success the caller re-queues waiting jobs (this module knows nothing of sync).
 */
export async function finishConnect(request: Request, app: AppServices, expected: string | undefined, adminId: string): Promise<CallbackResult> {
  const url = new URL(request.url);
  const fail = (message: string): CallbackResult => ({ ok: false, message });

  if (!expected || url.searchParams.get("state") !== expected)
    return fail("The Zoho sign-in could not be verified (it expired or came from elsewhere). Please connect again.");
  const error = url.searchParams.get("error");
  if (error) return fail(error === "access_denied" ? "Zoho access was not granted. Nothing changed." : `Zoho refused the connection (${error}).`);
  const code = url.searchParams.get("code");
  if (!code) return fail("Zoho did not return an authorisation code. Please connect again.");
  const accountsServer = url.searchParams.get("accounts-server") ?? app.env.ZOHO_ACCOUNTS_URL;
  if (!isTrustedAccountsServer(accountsServer, app.env.ZOHO_ACCOUNTS_URL)) return fail("Zoho answered from an unknown server.");

  try {
    const grant = await exchangeCode(app.env, accountsServer, code, fetch, { db: app.db, subject: { adminId } });
    if (!grant.refreshToken)
      return fail("Zoho did not issue a refresh token (offline access needs a fresh consent). Please connect again.");
    const previous = await getConnection(app.db);
    // Without `scope` in the answer, the consent covered what we asked for (Zoho grants all or nothing).
    const scopes = grant.scopes ?? ZOHO_SCOPES.join(",");
    await saveConnection(app.db, app.env, { ...grant, scopes, refreshToken: grant.refreshToken }, {
      accountsServer,
      dataCentre: regionFor(accountsServer).dc,
      organizationId: app.env.ZOHO_ORGANIZATION_ID,
      connectedBy: adminId,
    });
    // The old refresh token is dead weight (Zoho caps a client at 20): revoke it, best effort.
    if (previous) await revokeQuietly(app, previous.accountsServer, await decryptRefreshToken(previous, app.env).catch(() => null), adminId);
    log("info", "zoho connected", { adminId, dataCentre: regionFor(accountsServer).dc });
    return { ok: true };
  } catch (error) {
    log("warn", "zoho connect failed", { error });
    return fail(error instanceof ZohoError ? error.message : "Could not reach Zoho to finish connecting. Please try again.");
  }
}

/** Forgets the connection (and revokes its refresh token); says whether there was one. */
export async function disconnect(app: AppServices, adminId?: string): Promise<boolean> {
  const conn = await getConnection(app.db);
  if (!conn) return false;
  await deleteConnection(app.db);
  await revokeQuietly(app, conn.accountsServer, await decryptRefreshToken(conn, app.env).catch(() => null), adminId);
  return true;
}

async function revokeQuietly(app: AppServices, accountsServer: string, token: string | null, adminId?: string) {
  if (!token) return;
  try {
    await revokeRefreshToken(accountsServer, token, fetch, { db: app.db, subject: { adminId } });
  } catch (error) {
    log("warn", "could not revoke an old Zoho refresh token", { error });
  }
}
