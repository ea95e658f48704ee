// What a person's name may be (registration, and any later form that edits it). Names reach the admin
// console, Zoho Books and mail, so a name is letters and the punctuation names use, never a link a mail
// client would make clickable, nor invisible or text-direction characters that make it read differently
// from what is stored. Digits are accepted (generational suffixes, names our load tests generate): they
// cannot form a link once dots between words and "www." are refused. docs/decisions/026.
import { z } from "zod";

// Right-to-left/left-to-right embeddings, overrides, isolates and marks (U+202E reverses what follows).
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
// Zero-width and other invisible characters: every Unicode "format" character (U+200B, U+2060, U+FEFF,
// the soft hyphen, tag characters …), plus fillers that render as nothing.
const INVISIBLE = /[\p{Cf}\u115f\u1160\u3164\uffa0\u034f]/u;
const CONTROL = /\p{Cc}/u;
// What a mail client turns into a link: a scheme, "www.", an @, or a dot joined to a word ("evil.example").
const LINK_LIKE = /:\/\/|\bwww\.|@|\.[\p{L}\p{N}]{2,}/iu;
const ALLOWED = /^[\p{L}\p{M}\p{N} '’\-‐.]+$/u;
const HAS_LETTER = /\p{L}/u;

/** Why a name cannot be used, in words for the person typing it; null when it can. */
export function nameProblem(value: string, label: string): string | null {
  if (!value) return `Enter your ${label}.`;
  if (value.length > 60) return `Your ${label} can be at most 60 characters.`;
  if (BIDI.test(value)) return `Your ${label} contains a hidden text-direction character we cannot use. Please type it again instead of pasting it.`;
  if (INVISIBLE.test(value)) return `Your ${label} contains an invisible character (such as a zero-width space) we cannot use. Please type it again instead of pasting it.`;
  if (CONTROL.test(value)) return `Your ${label} contains characters we cannot use.`;
  if (LINK_LIKE.test(value)) return `Your ${label} looks like a web or email address, which we cannot use. Enter only your name.`;
  if (!ALLOWED.test(value)) return `Your ${label} contains characters we cannot use: use letters, spaces, apostrophes, hyphens and full stops.`;
  if (!HAS_LETTER.test(value)) return `Enter your ${label} in letters.`;
  return null;
}

/** A name field: trimmed, other spaces (no-break, ideographic) made plain, checked, stored in NFC. */
export const personName = (label: string) =>
  z
    .string({ error: `Enter your ${label}.` })
    .trim()
    .min(1, { error: `Enter your ${label}.` })
    .max(60, { error: `Your ${label} can be at most 60 characters.` })
    .transform((v, ctx) => {
      const name = v.replace(/\p{Zs}/gu, " ");
      const problem = nameProblem(name, label);
      if (problem) {
        ctx.addIssue({ code: "custom", message: problem });
        return z.NEVER;
      }
      return name.normalize("NFC");
    });
