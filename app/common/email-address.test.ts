import { describe, expect, it } from "vitest";
import { normaliseEmail, sameEmail } from "./email-address";

describe("email addresses", () => {
  it("compare trimmed and in any case", () => {
    expect(normaliseEmail("  Ana.Reyes@Example.COM ")).toBe("ana.reyes@example.com");
    expect(sameEmail("ana@example.com", " ANA@example.com")).toBe(true);
    expect(sameEmail("ana@example.com", "ana@example.org")).toBe(false);
  });
  it("a missing address matches nothing", () => {
    expect(normaliseEmail(null)).toBe("");
    expect(sameEmail(null, null)).toBe(false);
    expect(sameEmail(undefined, "ana@example.com")).toBe(false);
  });
});
