// The Zoho sandbox from workerd tests: its control API and a Zoho connection made the quick way.
import type { WorkerEnv } from "~/context.server";
import { parseEnv } from "~/env.server";
import { saveConnection } from "~/zoho/tokens.server";
import { SandboxControl } from "@tools/zoho-sandbox/control-client";
import { testDb } from "./database";
import { bindings } from "./worker-env";

export const sandbox = () => new SandboxControl(bindings.TEST_SANDBOX_URL);

/** A connected shop: tokens issued by the sandbox (the consent screen is covered by its own test). */
export async function connectZoho(env: WorkerEnv, scope?: string) {
  const grant = await sandbox().issueTokens(scope ? { scope } : {});
  const { db, close } = testDb(env.DATABASE_URL as string);
  try {
    await saveConnection(
      db,
      parseEnv(env),
      { accessToken: grant.access_token, refreshToken: grant.refresh_token, expiresIn: grant.expires_in, apiDomain: grant.api_domain, scopes: scope ?? "ZohoBooks.fullaccess.all" },
      { accountsServer: bindings.TEST_SANDBOX_URL, dataCentre: "local", organizationId: "10234695", connectedBy: null },
    );
  } finally {
    await close();
  }
  return grant;
}

/** The sandbox's contacts that carry `email`, on the contact itself or on one of its contact persons. */
export async function contactsWithEmail(email: string) {
  const all = await sandbox().listContacts();
  return all.filter((c) =>
    [c.email, ...(c.contact_persons ?? []).map((p: { email?: string | null }) => p.email)].some((e) => e?.toLowerCase() === email.toLowerCase()),
  );
}
