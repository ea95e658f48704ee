// TOTP (RFC 6238) for admins' authenticator apps: 6 digits, 30-second steps, SHA-1 (what every app supports).
// Pure: no database, no clock but the one passed in. Used by the app and by the tools that sign admins in.
import { Secret, TOTP } from "otpauth";

export const TOTP_PERIOD_SECONDS = 30;
const ISSUER = "Cangoods Portal";

function totp(secret: string, label = "admin") {
  return new TOTP({ issuer: ISSUER, label, secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: TOTP_PERIOD_SECONDS });
}

/** A new random secret (160 bits), base32 as authenticator apps show it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The time step a moment falls in. */
export function totpStep(now: number): number {
  return Math.floor(now / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code an authenticator app shows at `now` (ms). */
export function totpCode(secret: string, now = Date.now()): string {
  return totp(secret).generate({ timestamp: now });
}

/**
 * The time step the code belongs to, accepting the step before and after `now` (clocks drift), or null when it
 * matches none. Whether that step was already used is the caller's question (a code works once).
 */
export function totpCodeStep(secret: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secret).validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : totpStep(now) + delta;
}

/** The otpauth:// address the QR code carries (the account's email as its label). */
export function totpUri(secret: string, label: string): string {
  return totp(secret, label).toString();
}

/** The secret in groups of four, easier to type into an app by hand. */
export function secretInGroups(secret: string): string {
  return secret.replace(/(.{4})/g, "$1 ").trim();
}
