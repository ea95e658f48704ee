// Connects a local database to the (in-memory) Zoho sandbox without the consent screen, the way the
// admin's "Connect Zoho Books" would, so `npm run dev`, benchmarks and chaos runs start synced.
// Benches and chaos runs' sandboxes live in memory, so they connect on every start; `npm run dev` keeps the
// sandbox's tokens with its state and connects only when it has to (dev-services.ts).
import { sql } from "drizzle-orm";
import { encryptSecret } from "~/zoho/crypto.server";
import { SandboxControl } from "@tools/zoho-sandbox/control-client";
import type { NodeDb } from "./node-db";

export async function connectToSandbox(db: NodeDb, sandboxUrl: string, encryptionKey: string, organizationId = "10234695") {
  const grant = await new SandboxControl(sandboxUrl).issueTokens({});
  const refresh = await encryptSecret(grant.refresh_token, encryptionKey);
  const access = await encryptSecret(grant.access_token, encryptionKey);
  const expires = new Date(Date.now() + grant.expires_in * 1000).toISOString();
  await db.execute(sql`
    insert into zoho_tokens (id, status, refresh_token_enc, access_token_enc, access_token_expires_at, api_domain,
      accounts_server, data_centre, scopes, organization_id)
    values (1, 'connected', ${refresh}, ${access}, ${expires}::timestamptz, ${grant.api_domain}, ${sandboxUrl}, 'local',
      'ZohoBooks.fullaccess.all', ${organizationId})
    on conflict (id) do update set status = 'connected', refresh_token_enc = excluded.refresh_token_enc,
      access_token_enc = excluded.access_token_enc, access_token_expires_at = excluded.access_token_expires_at,
      api_domain = excluded.api_domain, accounts_server = excluded.accounts_server, last_error = null,
      refresh_locked_until = null, updated_at = now()`);
}
