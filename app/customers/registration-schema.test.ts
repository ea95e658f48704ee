import { describe, expect, it } from "vitest";
import { AccountSchema, DeliverySchema, normalisePhone, PersonalSchema } from "./registration-schema";

describe("registration schemas", () => {
  it.each([
    ["0917 123 4567", "+639171234567"],
    ["+63 917-123-4567", "+639171234567"],
    ["639171234567", "+639171234567"],
    ["9171234567", "+639171234567"],
    ["+1 415 555 2671", "+14155552671"],
    ["+63 2 8123 4567", null],
    ["12345", null],
    ["call me", null],
  ])("phone %s → %s", (input, expected) => {
    expect(normalisePhone(input)).toBe(expected);
  });

  it("lower-cases and trims the email and explains a bad one", () => {
    expect(PersonalSchema.parse({ firstName: " Ana ", lastName: "Reyes", email: " Ana@Example.COM ", phone: "09171234567" })).toEqual({
      firstName: "Ana",
      lastName: "Reyes",
      email: "ana@example.com",
      phone: "+639171234567",
    });
    const bad = PersonalSchema.safeParse({ firstName: "A", lastName: "B", email: "not-an-email", phone: "09171234567" });
    expect(bad.error?.issues[0]).toMatchObject({ path: ["email"], message: "Enter an email address like name@example.com." });
  });

  it("refuses names that are too long or carry markup", () => {
    const res = PersonalSchema.safeParse({ firstName: "x".repeat(61), lastName: "<script>", email: "a@b.co", phone: "09171234567" });
    expect(res.error?.issues.map((i) => i.path[0])).toEqual(["firstName", "lastName"]);
  });

  it("needs an address only for delivery", () => {
    expect(DeliverySchema.safeParse({ deliveryMethod: "pickup" }).success).toBe(true);
    const res = DeliverySchema.safeParse({ deliveryMethod: "delivery", addressLine1: "", city: "Makati", province: "Metro Manila", postalCode: "12" });
    expect(res.error?.issues.map((i) => i.path[0])).toEqual(["addressLine1", "postalCode"]);
  });

  it("needs matching passwords of at least 10 characters", () => {
    expect(AccountSchema.safeParse({ password: "short", confirmPassword: "short" }).error?.issues[0].path).toEqual(["password"]);
    expect(AccountSchema.safeParse({ password: "long enough pw", confirmPassword: "different pw" }).error?.issues[0].path).toEqual(["confirmPassword"]);
  });
});
