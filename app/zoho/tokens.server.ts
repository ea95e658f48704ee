// The shop's single Zoho connection: tokens encrypted at rest, one refresh at a time (a lease on the
// row), and a "reconnect needed" state that pauses sync without burning attempts.
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "~/db/client.server";
import { zohoTokens } from "~/db/schema";
import type { AppEnv } from "~/env.server";
import { log } from "~/log.server";
import { decryptSecret, encryptSecret } from "./crypto.server";
import { ZohoError } from "./errors";
import { countTokenRefresh } from "./ledger.server";
import { tokenRequest, type TokenGrant } from "./oauth.server";

export type ZohoConnection = typeof zohoTokens.$inferSelect;
type TokenEnv = Pick<AppEnv, "TOKEN_ENCRYPTION_KEY" | "ZOHO_CLIENT_ID" | "ZOHO_CLIENT_SECRET"> & Partial<Pick<AppEnv, "ZOHO_DAY_TIMEZONE">>;

const EARLY_REFRESH_MS = 60_000; // refresh a minute before Zoho's 1-hour expiry
const REFRESH_LEASE_MS = 20_000;

export async function getConnection(db: DbOrTx): Promise<ZohoConnection | null> {
  const [row] = await db.select().from(zohoTokens).where(eq(zohoTokens.id, 1));
  return row ?? null;
}

export async function saveConnection(
  db: DbOrTx,
  env: TokenEnv,
  grant: TokenGrant & { refreshToken: string; scopes: string },
  meta: { accountsServer: string; dataCentre: string; organizationId: string; connectedBy: string | null },
) {
  const values = {
    id: 1,
    status: "connected",
    refreshTokenEnc: await encryptSecret(grant.refreshToken, env.TOKEN_ENCRYPTION_KEY),
    accessTokenEnc: await encryptSecret(grant.accessToken, env.TOKEN_ENCRYPTION_KEY),
    accessTokenExpiresAt: new Date(Date.now() + grant.expiresIn * 1000),
    apiDomain: grant.apiDomain,
    accountsServer: meta.accountsServer,
    dataCentre: meta.dataCentre,
    scopes: grant.scopes,
    organizationId: meta.organizationId,
    connectedAt: new Date(),
    connectedBy: meta.connectedBy,
    lastError: null,
    lastErrorAt: null,
    refreshLockedUntil: null,
    updatedAt: new Date(),
  };
  await db.insert(zohoTokens).values(values).onConflictDoUpdate({ target: zohoTokens.id, set: values });
}

export async function markReconnectNeeded(db: DbOrTx, reason: string) {
  await db
    .update(zohoTokens)
    .set({ status: "reconnect_needed", lastError: reason, lastErrorAt: new Date(), updatedAt: new Date() })
    .where(eq(zohoTokens.id, 1));
  log("warn", "zoho connection needs reconnecting", { reason });
}

export async function deleteConnection(db: DbOrTx) {
  await db.delete(zohoTokens).where(eq(zohoTokens.id, 1));
}

export async function decryptRefreshToken(conn: ZohoConnection, env: TokenEnv) {
  return decryptSecret(conn.refreshTokenEnc, env.TOKEN_ENCRYPTION_KEY);
}

export type AccessToken = { token: string; apiDomain: string; organizationId: string; accountsServer: string };

function usable(conn: ZohoConnection, now: number) {
  return conn.accessTokenEnc && conn.accessTokenExpiresAt && conn.accessTokenExpiresAt.getTime() - EARLY_REFRESH_MS > now;
}

/**
 * A valid access token, refreshing it when it is about to expire. Only the caller that wins the
 * refresh lease talks to Zoho Accounts; the others wait for the new token (Zoho throttles refreshes).
 */
export async function getAccessToken(
  db: DbOrTx,
  env: TokenEnv & Pick<AppEnv, "ZOHO_ORGANIZATION_ID">,
  opts: { forceRefresh?: boolean; fetchImpl?: typeof fetch } = {},
): Promise<AccessToken> {
  const deadline = Date.now() + 10_000;
  let staleToken: string | null = null;
  for (;;) {
    const conn = await getConnection(db);
    if (!conn) throw new ZohoError("not_connected", "Zoho Books is not connected yet");
    if (conn.status !== "connected") throw new ZohoError("reconnect_needed", conn.lastError ?? "Zoho Books must be reconnected");
    const result = (token: string): AccessToken => ({
      token,
      apiDomain: conn.apiDomain,
      organizationId: conn.organizationId ?? env.ZOHO_ORGANIZATION_ID,
      accountsServer: conn.accountsServer,
    });
    if (usable(conn, Date.now())) {
      const token = await decryptSecret(conn.accessTokenEnc!, env.TOKEN_ENCRYPTION_KEY);
      if (!opts.forceRefresh || (staleToken !== null && token !== staleToken)) return result(token);
      staleToken ??= token;
    }
    const [lease] = await db
      .update(zohoTokens)
      .set({ refreshLockedUntil: new Date(Date.now() + REFRESH_LEASE_MS) })
      // Only if nobody replaced the token we saw meanwhile (else loop and use theirs).
      .where(
        sql`${zohoTokens.id} = 1 and (${zohoTokens.refreshLockedUntil} is null or ${zohoTokens.refreshLockedUntil} < now())
          and ${zohoTokens.accessTokenEnc} is not distinct from ${conn.accessTokenEnc}`,
      )
      .returning({ id: zohoTokens.id });
    if (lease) return result(await refresh(db, env, conn, opts.fetchImpl));
    if (Date.now() > deadline) throw new ZohoError("transient", "Timed out waiting for another worker to refresh the Zoho token");
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function refresh(db: DbOrTx, env: TokenEnv, conn: ZohoConnection, fetchImpl?: typeof fetch): Promise<string> {
  try {
    await countTokenRefresh(db, new Date(), env.ZOHO_DAY_TIMEZONE);
    const grant = await tokenRequest(
      conn.accountsServer,
      {
        grant_type: "refresh_token",
        client_id: env.ZOHO_CLIENT_ID,
        client_secret: env.ZOHO_CLIENT_SECRET,
        refresh_token: await decryptRefreshToken(conn, env),
      },
      fetchImpl,
      { db },
    );
    await db
      .update(zohoTokens)
      .set({
        accessTokenEnc: await encryptSecret(grant.accessToken, env.TOKEN_ENCRYPTION_KEY),
        accessTokenExpiresAt: new Date(Date.now() + grant.expiresIn * 1000),
        apiDomain: grant.apiDomain || conn.apiDomain,
        refreshLockedUntil: null,
        updatedAt: new Date(),
      })
      .where(eq(zohoTokens.id, 1));
    return grant.accessToken;
  } catch (error) {
    await db.update(zohoTokens).set({ refreshLockedUntil: null }).where(eq(zohoTokens.id, 1));
    if (error instanceof ZohoError && error.kind === "reconnect_needed") await markReconnectNeeded(db, error.message);
    throw error;
  }
}
