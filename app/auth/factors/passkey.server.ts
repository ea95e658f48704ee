// Passkeys (WebAuthn) as an admin's second factor (docs/decisions/041): the options a browser needs to create
// or use one, and the verification of what it sends back, through @simplewebauthn/server. The relying party
// is APP_URL's host (its origin must match the page's), so production is unchanged and local runs use
// `localhost`. A challenge lives in the browser's session row (server-side), for 5 minutes, and is taken out
// in one statement when used: it works once, and only in the session that asked for it.
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { z } from "zod";
import type { AppServices } from "~/context.server";
import type { AppEnv } from "~/env.server";
import { takeFromSession, type AppSession } from "../session.server";
import { acceptPasskeyCounter, passkeyCredential, passkeysOf } from "./store.server";

export const PASSKEY_CHALLENGE_SECONDS = 5 * 60;
const RP_NAME = "Cangoods Portal";

export type PasskeyPurpose = "register" | "sign-in";
/** What the session keeps while a browser creates or uses a passkey. */
export type PasskeyChallenge = { purpose: PasskeyPurpose; userId: string; challenge: string; expiresAt: string };

/** The relying party: APP_URL's host name (no port) and its origin. */
export function relyingParty(env: Pick<AppEnv, "APP_URL">) {
  const url = new URL(env.APP_URL);
  return { id: url.hostname, origin: url.origin, name: RP_NAME };
}

/**
 * What a browser's answer must match, at registration and at sign-in alike: the challenge this session was given,
 * the relying party's origin and id; user verification preferred, not required (the password was the first factor).
 */
function expectedFor(env: Pick<AppEnv, "APP_URL">, challenge: string) {
  const rp = relyingParty(env);
  return { expectedChallenge: challenge, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: false };
}

function remember(session: AppSession, purpose: PasskeyPurpose, userId: string, challenge: string) {
  session.set("passkeyChallenge", { purpose, userId, challenge, expiresAt: new Date(Date.now() + PASSKEY_CHALLENGE_SECONDS * 1000).toISOString() });
}

/** Options for creating a passkey (the admin's existing ones excluded); the challenge is kept in `session` (commit it). */
export async function registrationOptions(app: AppServices, session: AppSession, admin: { id: string; email: string }): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const rp = relyingParty(app.env);
  const existing = await passkeysOf(app.db, admin.id);
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: admin.email,
    userID: new TextEncoder().encode(admin.id),
    attestationType: "none",
    timeout: PASSKEY_CHALLENGE_SECONDS * 1000,
    excludeCredentials: existing.map((p) => ({ id: p.credentialId })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
  });
  remember(session, "register", admin.id, options.challenge);
  return options;
}

/** Options for signing in with one of the admin's passkeys (null: they have none); the challenge is kept in `session`. */
export async function signInOptions(app: AppServices, session: AppSession, userId: string): Promise<PublicKeyCredentialRequestOptionsJSON | null> {
  const existing = await passkeysOf(app.db, userId);
  if (!existing.length) return null;
  const options = await generateAuthenticationOptions({
    rpID: relyingParty(app.env).id,
    allowCredentials: existing.map((p) => ({ id: p.credentialId })),
    userVerification: "preferred",
    timeout: PASSKEY_CHALLENGE_SECONDS * 1000,
  });
  remember(session, "sign-in", userId, options.challenge);
  return options;
}

/**
 * The challenge this session was given for `purpose` and `userId`, taken out of the session row (so it works
 * once, also against a second request racing this one) and out of `session` (so committing it does not put it
 * back). Null when there is none, it was for something else, or it is over 5 minutes old.
 */
async function takeChallenge(app: AppServices, session: AppSession, purpose: PasskeyPurpose, userId: string): Promise<string | null> {
  session.unset("passkeyChallenge");
  if (!session.id) return null;
  const stored = await takeFromSession(app, session.id, "passkeyChallenge");
  if (!stored || stored.purpose !== purpose || stored.userId !== userId) return null;
  return Date.parse(stored.expiresAt) > Date.now() ? stored.challenge : null;
}

const B64URL = z.string().max(8192).regex(/^[A-Za-z0-9_-]*$/);
/** A credential as the browser's WebAuthn JSON carries it, around the `response` its ceremony answers with. */
const credentialJson = <R extends z.ZodRawShape>(response: R) =>
  z.object({
    id: B64URL.min(1).max(1024),
    rawId: B64URL.min(1).max(1024),
    type: z.literal("public-key"),
    response: z.object(response),
    clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
    authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  });
const RegistrationResponseSchema = credentialJson({
  clientDataJSON: B64URL,
  attestationObject: B64URL,
  transports: z.array(z.string().max(20)).max(10).optional(),
});
const AuthenticationResponseSchema = credentialJson({
  clientDataJSON: B64URL,
  authenticatorData: B64URL,
  signature: B64URL,
  userHandle: B64URL.optional(),
});

function parseJson<T>(text: string, schema: z.ZodType<T>): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export type NewPasskey = { credentialId: string; publicKey: Uint8Array; signCount: number };
export type RegistrationVerdict = { ok: true; passkey: NewPasskey } | { ok: false; reason: "challenge" | "invalid" };

/** What the browser sent after creating a passkey, checked against this session's challenge and the relying party. */
export async function verifyRegistration(app: AppServices, session: AppSession, userId: string, responseText: string): Promise<RegistrationVerdict> {
  const challenge = await takeChallenge(app, session, "register", userId);
  if (!challenge) return { ok: false, reason: "challenge" };
  const response = parseJson(responseText, RegistrationResponseSchema);
  if (!response) return { ok: false, reason: "invalid" };
  const expected = expectedFor(app.env, challenge);
  try {
    const result = await verifyRegistrationResponse({ response: response as RegistrationResponseJSON, ...expected });
    if (!result.verified) return { ok: false, reason: "invalid" };
    const { credential } = result.registrationInfo;
    return { ok: true, passkey: { credentialId: credential.id, publicKey: credential.publicKey, signCount: credential.counter } };
  } catch {
    return { ok: false, reason: "invalid" };
  }
}

/**
 * Why a passkey was refused at sign-in: no (or an expired, used or foreign) challenge; a credential that is
 * not one of this admin's; a signature, origin or relying party that does not verify; a signature counter
 * that did not move forward (a cloned authenticator or a replayed assertion).
 */
export type AssertionVerdict = { ok: true; factorId: string } | { ok: false; reason: "challenge" | "unknown-credential" | "invalid" | "replayed" };

/** What the browser sent after using a passkey, for the admin of this session's sign-in. Uses the passkey up to its counter. */
export async function verifyAssertion(app: AppServices, session: AppSession, userId: string, responseText: string): Promise<AssertionVerdict> {
  const challenge = await takeChallenge(app, session, "sign-in", userId);
  if (!challenge) return { ok: false, reason: "challenge" };
  const response = parseJson(responseText, AuthenticationResponseSchema);
  if (!response) return { ok: false, reason: "invalid" };
  // Only this admin's credentials: another admin's passkey does not sign this one in.
  const stored = await passkeyCredential(app.db, userId, response.id);
  if (!stored) return { ok: false, reason: "unknown-credential" };
  const expected = expectedFor(app.env, challenge);
  let newCounter: number;
  try {
    const result = await verifyAuthenticationResponse({
      response: response as AuthenticationResponseJSON,
      credential: { id: stored.credentialId, publicKey: stored.publicKey, counter: stored.signCount },
      ...expected,
    });
    if (!result.verified) return { ok: false, reason: "invalid" };
    newCounter = result.authenticationInfo.newCounter;
  } catch (error) {
    // The library refuses a counter that did not grow as an error: say so, it is the replay case.
    return { ok: false, reason: error instanceof Error && /counter/i.test(error.message) ? "replayed" : "invalid" };
  }
  // The counter moves in the same statement that accepts it: of two racing requests one gets in.
  return (await acceptPasskeyCounter(app.db, stored.id, newCounter)) ? { ok: true, factorId: stored.id } : { ok: false, reason: "replayed" };
}
