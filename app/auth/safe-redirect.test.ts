import { describe, expect, it } from "vitest";
import { safeRedirect } from "./safe-redirect";

describe("the redirect rule", () => {
  it.each([
    ["/account", "/account"],
    ["/admin/customers?status=failed#list", "/admin/customers?status=failed#list"],
    ["/account/./orders", "/account/orders"],
    ["/%2F/evil.example", "/%2F/evil.example"], // an encoded slash stays a path segment on this site
    ["/caf\u00e9", "/caf%C3%A9"],
  ])("keeps the path %j on this site as %j", (input, expected) => {
    expect(safeRedirect(input, "/fallback")).toBe(expected);
  });

  it.each([
    ["another site, protocol-relative", "//evil.example/x"],
    ["slash, tab, slash (browsers drop the tab)", "/\t/evil.example/phish"],
    ["slash, tab, backslash", "/\t\\evil.example"],
    ["slash, backslash", "/\\evil.example"],
    ["backslash, slash", "\\/evil.example"],
    ["a carriage return (not a valid header value)", "/\r/evil.example"],
    ["a line feed", "/account\n"],
    ["a NUL", "/acc\u0000ount"],
    ["dot segments that end as //host", "/..//evil.example"],
    ["dot segments inside that end as //host", "/a/..//evil.example"],
    ["an absolute URL", "https://evil.example/"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a scheme after a space", " /\t/evil.example"],
    ["a relative path", "account"],
    ["nothing", ""],
    ["not a string", undefined],
  ])("refuses %s", (_what, input) => {
    expect(safeRedirect(input, "/fallback")).toBe("/fallback");
  });
});
