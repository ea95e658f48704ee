// base64 as the app writes it: standard (stored values, keys, password hashes) and URL-safe without padding
// (tokens that travel in links and cookies). Runs in workerd and Node alike (btoa/atob).

export const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** Throws on text that is not base64. */
export const fromBase64 = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

export const toBase64Url = (bytes: Uint8Array) => toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** `byteCount` random bytes as a URL-safe token. */
export const randomBase64Url = (byteCount: number) => toBase64Url(crypto.getRandomValues(new Uint8Array(byteCount)));
