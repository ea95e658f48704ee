// A passkey authenticator in software, for driving the real Worker's passkey forms inside workerd: an ECDSA
// P-256 key pair (WebCrypto), "none" attestation at registration and signed assertions at sign-in, byte for
// byte as WebAuthn defines them (authenticator data, client data JSON, a DER signature). The challenge a form
// was given is read from the browser's session row, where the app keeps it.
import { isoCBOR } from "@simplewebauthn/server/helpers";
import { toBase64Url } from "~/common/base64";
import type { Browser } from "./browser";
import { ORIGIN } from "./browser";
import { sql } from "./database";

export type SoftPasskey = { credentialId: Uint8Array; keys: CryptoKeyPair; counter: number };

const utf8 = (s: string) => new TextEncoder().encode(s);
const sha256 = async (bytes: Uint8Array<ArrayBuffer>) => new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
const fromB64Url = (s: string) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
function concat(...parts: Uint8Array[]) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
const u32 = (n: number) => new Uint8Array([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);

export async function newSoftPasskey(): Promise<SoftPasskey> {
  const keys = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  return { credentialId: crypto.getRandomValues(new Uint8Array(32)), keys, counter: 0 };
}

const rpIdHash = () => sha256(utf8(new URL(ORIGIN).hostname));

/** What a browser posts after creating `passkey` for `challenge` ("none" attestation). */
export async function attestation(passkey: SoftPasskey, challenge: string, opts: { origin?: string } = {}) {
  const jwk = await crypto.subtle.exportKey("jwk", passkey.keys.publicKey);
  const cose = isoCBOR.encode(
    new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, fromB64Url(jwk.x!)],
      [-3, fromB64Url(jwk.y!)],
    ]),
  );
  const id = passkey.credentialId;
  const authData = concat(await rpIdHash(), new Uint8Array([0x45]), u32(passkey.counter), new Uint8Array(16), new Uint8Array([id.length >> 8, id.length & 255]), id, cose);
  const attestationObject = isoCBOR.encode(new Map<string, unknown>([["fmt", "none"], ["attStmt", new Map()], ["authData", authData]]) as never);
  const clientData = utf8(JSON.stringify({ type: "webauthn.create", challenge, origin: opts.origin ?? ORIGIN, crossOrigin: false }));
  return JSON.stringify({
    id: toBase64Url(id),
    rawId: toBase64Url(id),
    type: "public-key",
    response: { clientDataJSON: toBase64Url(clientData), attestationObject: toBase64Url(attestationObject), transports: ["internal"] },
    clientExtensionResults: {},
  });
}

/** An ECDSA signature as WebCrypto gives it (r ‖ s) in the DER form WebAuthn uses. */
function der(raw: Uint8Array) {
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = b.slice(i);
    return concat(new Uint8Array([0x02, v[0] & 0x80 ? v.length + 1 : v.length]), v[0] & 0x80 ? new Uint8Array([0]) : new Uint8Array(), v);
  };
  const body = concat(int(raw.slice(0, 32)), int(raw.slice(32)));
  return concat(new Uint8Array([0x30, body.length]), body);
}

/**
 * What a browser posts after using `passkey` for `challenge`. The counter moves on by one unless `counter`
 * is given (a cloned authenticator); `signWith` signs with another key (a forgery).
 */
export async function assertion(passkey: SoftPasskey, challenge: string, opts: { counter?: number; signWith?: CryptoKey; origin?: string } = {}) {
  const counter = opts.counter ?? ++passkey.counter;
  const authData = concat(await rpIdHash(), new Uint8Array([0x05]), u32(counter));
  const clientData = utf8(JSON.stringify({ type: "webauthn.get", challenge, origin: opts.origin ?? ORIGIN, crossOrigin: false }));
  const signed = concat(authData, await sha256(clientData));
  const raw = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, opts.signWith ?? passkey.keys.privateKey, signed));
  return JSON.stringify({
    id: toBase64Url(passkey.credentialId),
    rawId: toBase64Url(passkey.credentialId),
    type: "public-key",
    response: { clientDataJSON: toBase64Url(clientData), authenticatorData: toBase64Url(authData), signature: toBase64Url(der(raw)) },
    clientExtensionResults: {},
  });
}

/** The challenge the app keeps in a session of `userId` (the newest one asked for). */
export async function challengeOf(databaseUrl: string, userId: string): Promise<string> {
  const rows = (await sql(
    databaseUrl,
    "select data -> 'passkeyChallenge' ->> 'challenge' as challenge from sessions where data -> 'passkeyChallenge' ->> 'userId' = $1 order by created_at desc limit 1",
    [userId],
  )) as Array<{ challenge: string }>;
  if (!rows[0]) throw new Error(`no passkey challenge in a session of ${userId}`);
  return rows[0].challenge;
}

/** Asks /admin/security for options and returns the attestation of a new soft passkey for them (not yet posted). */
export async function passkeyToAdd(b: Browser, databaseUrl: string, userId: string) {
  const options = await b.post("/admin/security", { intent: "passkey-options" });
  if (options.status !== 200) throw new Error(`passkey options: ${options.status}`);
  const passkey = await newSoftPasskey();
  return { passkey, response: await attestation(passkey, await challengeOf(databaseUrl, userId)) };
}

/** Adds a soft passkey on /admin/security as a person would; returns it and its factor id. */
export async function addSoftPasskey(b: Browser, databaseUrl: string, userId: string, name = "Soft key") {
  const { passkey, response } = await passkeyToAdd(b, databaseUrl, userId);
  const added = await b.post("/admin/security", { intent: "add-passkey", name, response });
  if (added.status >= 400) throw new Error(`adding a passkey: ${added.status} ${await added.text()}`);
  const rows = (await sql(databaseUrl, "select id from admin_factors where credential_id = $1", [toBase64Url(passkey.credentialId)])) as Array<{ id: string }>;
  return { passkey, factorId: rows[0].id };
}
