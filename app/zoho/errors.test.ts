import { describe, expect, it } from "vitest";
import { classifyZohoAnswer, contactDoesNotExist } from "./errors";

describe("classifyZohoAnswer reads Zoho's code before the HTTP status", () => {
  it.each([
    [200, { code: 0, message: "success" }, null],
    [201, { code: 0, message: "The contact has been added." }, null],
    [200, { code: 45, message: "You have reached the maximum number of API calls allowed per day" }, "daily_limit"],
    [429, { code: 44, message: "Too many requests" }, "rate_limited"],
    [429, { code: 45, message: "API calls per day exceeded" }, "daily_limit"],
    [401, { code: 14, message: "Invalid OAuth token." }, "reconnect_needed"],
    // 57 is both "this access token is dead" and "missing permission": the client refreshes once first.
    [401, { code: 57, message: "You are not authorized to perform this operation" }, "reconnect_needed"],
    [401, null, "reconnect_needed"],
    [400, { code: 1070, message: "You have reached the maximum number of in process requests allowed" }, "concurrency_limited"],
    // Zoho answers the concurrency limit with HTTP 429, like the per-minute limit: the code tells them apart.
    [429, { code: 1070, message: "You have reached the maximum number of in process requests allowed. Kindly try again after some time." }, "concurrency_limited"],
    [429, { code: 44, message: "You have made too many requests per minute" }, "rate_limited"],
    [429, null, "rate_limited"],
    // "Invalid URL Passed": the address is wrong (a misconfiguration), not the contact.
    [404, { code: 5, message: "Invalid URL Passed" }, "reconnect_needed"],
    [404, null, "not_found"],
    [404, { code: 1003, message: "Contact does not exist." }, "not_found"],
    [400, { code: 6041, message: "This user is not associated with the CompanyID/CompanyName:1." }, "reconnect_needed"],
    [400, { code: 3062, message: 'The contact "Juan" already exists.' }, "duplicate_name"],
    [400, { code: 1001, message: "Contact already exists" }, "duplicate_name"],
    [404, { code: 1002, message: "Contact does not exist." }, "not_found"],
    [400, { code: 2, message: "Invalid value passed for contact_name" }, "invalid_request"],
    [400, { code: 2, message: "Invalid value passed for email" }, "invalid_request"],
    // Not about this customer's details: not a permanent failure.
    [400, { code: 2, message: "Invalid value passed for per_page" }, "transient"],
    [400, { code: 36021, message: "Something Zoho has never told us about" }, "transient"],
    [403, { code: 9, message: "Forbidden" }, "transient"],
    [500, { code: 1, message: "Internal error" }, "transient"],
    [503, null, "transient"],
    [200, { code: 9999, message: "Something odd happened" }, "transient"],
    [200, { code: 14, message: "Invalid OAuth token." }, "reconnect_needed"],
  ] as const)("HTTP %i %j → %s", (status, body, kind) => {
    const error = classifyZohoAnswer(status, body as never);
    expect(error?.kind ?? null).toBe(kind);
  });

  it("treats waits as not burning attempts and 5xx as transient", () => {
    expect(classifyZohoAnswer(429, { code: 44, message: "slow down" })?.isWait).toBe(true);
    expect(classifyZohoAnswer(401, { code: 57, message: "scope" })?.isWait).toBe(true);
    expect(classifyZohoAnswer(400, { code: 1070, message: "busy" })?.isWait).toBe(true);
    expect(classifyZohoAnswer(429, { code: 1070, message: "busy" })?.isWait).toBe(true);
    expect(classifyZohoAnswer(404, { code: 5, message: "Invalid URL Passed" })?.message).toMatch(/API address .* is wrong; check ZOHO_ACCOUNTS_URL and reconnect/);
    expect(classifyZohoAnswer(502, { code: 1, message: "bad gateway" })?.isTransient).toBe(true);
    expect(classifyZohoAnswer(400, { code: 2, message: "Invalid value passed for contact_name" })?.isWait).toBe(false);
  });
});

describe("contactDoesNotExist: only Zoho's own answer proves a contact is gone", () => {
  it.each([
    [404, { code: 1002, message: "Contact does not exist." }, true],
    [404, { code: 1003, message: "Contact does not exist." }, true],
    // The address is wrong, not the contact; and a bare 404 (a proxy, an HTML page) proves nothing.
    [404, { code: 5, message: "Invalid URL Passed" }, false],
    [404, null, false],
    [500, { code: 1, message: "Internal error" }, false],
  ] as const)("HTTP %i %j → %s", (status, body, gone) => {
    expect(contactDoesNotExist(classifyZohoAnswer(status, body as never))).toBe(gone);
  });
});
