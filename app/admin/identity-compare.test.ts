import { describe, expect, it } from "vitest";
import { compareIdentity } from "./identity-compare";

describe("comparing an account with a Zoho contact", () => {
  it.each([
    ["the same person in other case and spacing", { name: "Juan  Dela Cruz", email: "Juan@Example.com" }, { name: "juan dela cruz", email: " juan@example.com" }, false, false],
    ["a different email", { name: "Juan Dela Cruz", email: "juan2@example.com" }, { name: "Juan Dela Cruz", email: "juan@example.com" }, false, true],
    ["a different name", { name: "Juana Cruz", email: "juan@example.com" }, { name: "Juan Dela Cruz", email: "juan@example.com" }, true, false],
    ["a contact without an email", { name: "Juan Dela Cruz", email: "juan@example.com" }, { name: "Juan Dela Cruz", email: null }, false, null],
  ] as const)("%s", (_label, account, contact, nameDiffers, emailDiffers) => {
    const result = compareIdentity(account, contact);
    expect(result.nameDiffers).toBe(nameDiffers);
    expect(result.emailDiffers).toBe(emailDiffers);
    expect(result.warnings.length > 0).toBe(nameDiffers || emailDiffers !== false);
  });

  it("names both values in the warning", () => {
    const [warning] = compareIdentity({ name: "Ana", email: "ana@new.example" }, { name: "Ana", email: "ana@old.example" }).warnings;
    expect(warning).toContain("ana@new.example");
    expect(warning).toContain("ana@old.example");
  });
});
