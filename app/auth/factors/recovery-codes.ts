// Recovery codes: ten per admin, each 10 characters of a 31-letter alphabet without look-alikes (49 random
// bits), shown once in groups of five ("k7mq2-x9dhe") and stored as SHA-256 hashes. With 49 random bits a
// fast hash is enough (no dictionary to try); every use is throttled like a TOTP code.
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"; // no i, l, o, 0, 1
export const RECOVERY_CODE_COUNT = 10;

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars: string[] = [];
    while (chars.length < 10) {
      // Bytes past the last whole multiple of the alphabet would favour its first letters: skipped.
      for (const b of crypto.getRandomValues(new Uint8Array(16))) if (b < 248 && chars.length < 10) chars.push(ALPHABET[b % ALPHABET.length]);
    }
    return `${chars.slice(0, 5).join("")}-${chars.slice(5).join("")}`;
  });
}

/** The code as stored: lower case, without spaces or dashes (people type them either way). */
export function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, "");
}

export function looksLikeRecoveryCode(code: string): boolean {
  return /^[a-z0-9]{10}$/.test(normaliseRecoveryCode(code));
}

export async function hashRecoveryCode(code: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(normaliseRecoveryCode(code)));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
