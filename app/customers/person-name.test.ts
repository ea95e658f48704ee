// The name rules as a table of examples: what a person may type as a first or last name, and the field
// error for what they may not.
import { describe, expect, it } from "vitest";
import { PersonalSchema } from "./registration-schema";

const details = (firstName: string) => ({ firstName, lastName: "Reyes", email: "a@example.com", phone: "09171234567" });
const firstNameOf = (input: string) => {
  const res = PersonalSchema.safeParse(details(input));
  return res.success ? { ok: res.data.firstName } : { error: res.error.issues.find((i) => i.path[0] === "firstName")?.message };
};

describe("names people have are accepted", () => {
  it.each([
    ["O'Brien", "O'Brien"],
    ["O’Brien", "O’Brien"],
    ["Nguyễn", "Nguyễn"],
    ["Nguye\u0302\u0303n (typed on a Mac: decomposed)", null],
    ["Smith-Jones", "Smith-Jones"],
    ["St. John", "St. John"],
    ["María José", "María José"],
    ["J.R.R.", "J.R.R."],
    ["Dela Cruz Jr.", "Dela Cruz Jr."],
    ["Henry 3rd (digits are accepted)", null],
    ["Ng\u00a0Yi (a no-break space)", null],
    ["  Ana  ", "Ana"],
    ["Александра", "Александра"],
    ["王秀英", "王秀英"],
    ["محمد", "محمد"],
  ])("%s", (input, stored) => {
    const value = input.replace(/ \(.*\)$/, "");
    const expected = stored ?? { "Nguye\u0302\u0303n": "Nguyễn", "Henry 3rd": "Henry 3rd", "Ng\u00a0Yi": "Ng Yi" }[value];
    expect(firstNameOf(value)).toEqual({ ok: expected });
  });
});

const LINK = "Your first name looks like a web or email address, which we cannot use. Enter only your name.";
const BIDI = "Your first name contains a hidden text-direction character we cannot use. Please type it again instead of pasting it.";
const INVISIBLE = "Your first name contains an invisible character (such as a zero-width space) we cannot use. Please type it again instead of pasting it.";
const CHARACTERS = "Your first name contains characters we cannot use: use letters, spaces, apostrophes, hyphens and full stops.";

describe("names that are not names are refused with a field error", () => {
  it.each([
    ["http://x", LINK],
    ["Hello claim your refund at http://evil.example/r", LINK],
    ["www.x", LINK],
    ["WWW.x", LINK],
    ["evil.example", LINK],
    ["Ana evil.example", LINK],
    ["x.co", LINK],
    ["10.20.30.40", LINK],
    ["ana@example", LINK],
    ["Ana\u202eznoL", BIDI],
    ["Ana\u202d", BIDI],
    ["\u2067Ana\u2069", BIDI],
    ["Ana\u200f", BIDI],
    ["An\u200ba", INVISIBLE],
    ["Ana\u2060", INVISIBLE],
    ["An\ufeffa", INVISIBLE],
    ["An\u00ada", INVISIBLE],
    ["Ana\u3164", INVISIBLE],
    ["Ana\u0000", "Your first name contains characters we cannot use."],
    ["Ana\tLopez", "Your first name contains characters we cannot use."],
    ["<script>", CHARACTERS],
    ["Ana/Lopez", CHARACTERS],
    ["Ana (Lopez)", CHARACTERS],
    ["evil。example", CHARACTERS],
    ["12345", "Enter your first name in letters."],
    ["'.-", "Enter your first name in letters."],
    ["", "Enter your first name."],
    ["   ", "Enter your first name."],
    ["x".repeat(61), "Your first name can be at most 60 characters."],
  ])("%j", (input, message) => {
    expect(firstNameOf(input)).toEqual({ error: message });
  });

  it("the last name follows the same rules, with its own label", () => {
    const res = PersonalSchema.safeParse({ ...details("Ana"), lastName: "www.evil.example" });
    expect(res.error?.issues).toMatchObject([{ path: ["lastName"], message: "Your last name looks like a web or email address, which we cannot use. Enter only your name." }]);
  });
});
