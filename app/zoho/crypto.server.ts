// Zoho tokens at rest: AES-256-GCM with TOKEN_ENCRYPTION_KEY, a fresh 12-byte IV per value.
// Stored as "v1.<iv b64>.<ciphertext b64>" so the key or scheme can be rotated later.
import { fromBase64, toBase64 } from "~/common/base64";

const keys = new Map<string, Promise<CryptoKey>>();

function importKey(base64Key: string) {
  let key = keys.get(base64Key);
  if (!key) {
    const raw = fromBase64(base64Key);
    key = crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
    keys.set(base64Key, key);
  }
  return key;
}

export async function encryptSecret(plain: string, base64Key: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await importKey(base64Key), new TextEncoder().encode(plain));
  return `v1.${toBase64(iv)}.${toBase64(new Uint8Array(data))}`;
}

export async function decryptSecret(stored: string, base64Key: string): Promise<string> {
  const [version, iv, data] = stored.split(".");
  if (version !== "v1" || !iv || !data) throw new Error("Unrecognised encrypted token format");
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64(iv) }, await importKey(base64Key), fromBase64(data));
  return new TextDecoder().decode(plain);
}
