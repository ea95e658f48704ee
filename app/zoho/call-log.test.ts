import { describe, expect, it } from "vitest";
import { loggedMessage, loggedPath } from "./call-log";

describe("what the Zoho call log keeps of a request", () => {
  it.each([
    ["https://www.zohoapis.com/books/v3/contacts?organization_id=10234695&email=ana%40example.com&page=1", "/books/v3/contacts?organization_id=10234695&email=[redacted]&page=1"],
    ["https://www.zohoapis.com/books/v3/contacts?email_contains=ana.reyes%40&per_page=10", "/books/v3/contacts?email_contains=[redacted]&per_page=10"],
    ["https://accounts.zoho.com/oauth/v2/token/revoke?token=1000.abc123def456abc7.0123456789abcdef", "/oauth/v2/token/revoke?token=[redacted]"],
    ["https://accounts.zoho.com/oauth/v2/token?refresh_token=r&client_id=id&client_secret=s&grant_type=refresh_token", "/oauth/v2/token?refresh_token=[redacted]&client_id=[redacted]&client_secret=[redacted]&grant_type=refresh_token"],
    ["https://www.zohoapis.com/books/v3/contacts?search_text=1000.0123456789abcdef.0123456789abcdef", "/books/v3/contacts?search_text=[redacted]"],
    ["https://www.zohoapis.com/books/v3/contacts/460000000026049", "/books/v3/contacts/460000000026049"],
    ["https://www.zohoapis.com/books/v3/contacts?contact_name=Ana%20Reyes", "/books/v3/contacts?contact_name=Ana%20Reyes"],
  ])("%s → %s", (url, logged) => {
    expect(loggedPath(url)).toBe(logged);
  });

  it("Zoho's message loses addresses and tokens, and is cut at 300 characters", () => {
    expect(loggedMessage("The contact ana@example.com already exists")).toBe("The contact [redacted] already exists");
    expect(loggedMessage("token 1000.0123456789abcdef.0123456789abcdef refused")).toBe("token [redacted] refused");
    expect(loggedMessage("x".repeat(400))).toHaveLength(300);
    expect(loggedMessage(null)).toBeNull();
  });
});
