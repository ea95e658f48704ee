// Setting up an authenticator app on /admin/security: a new secret is kept (encrypted) in the admin's session
// until a code from the app proves it was added; then it is stored and the admin's session counts as checked.
import type { AppServices } from "~/context.server";
import { decryptSecret, encryptSecret } from "~/zoho/crypto.server";
import type { AppSession } from "../session.server";
import { newTotpSecret } from "./totp";

export async function startTotpSetup(app: AppServices, session: AppSession) {
  session.set("totpSetup", await encryptSecret(newTotpSecret(), app.env.TOKEN_ENCRYPTION_KEY));
}

/** The secret being set up in this session, if any. */
export async function totpSetupSecret(app: AppServices, session: AppSession): Promise<string | null> {
  const stored = session.get("totpSetup");
  return stored ? decryptSecret(stored, app.env.TOKEN_ENCRYPTION_KEY) : null;
}
