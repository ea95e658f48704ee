// Log capture: whatever a relay, Zoho or a URL puts into an error text, the printed line carries no email
// address, token or password, and keeps what an operator needs (ids, kinds, counts, the reason).
import { afterEach, describe, expect, it, vi } from "vitest";
import { log } from "./log.server";

afterEach(() => vi.restoreAllMocks());

function captured(run: () => void): string {
  const lines: string[] = [];
  for (const method of ["log", "warn", "error"] as const) vi.spyOn(console, method).mockImplementation((line: string) => void lines.push(line));
  run();
  return lines.join("\n");
}

const JOB_ID = "3f2c9a4e-8b1d-4c6e-9f0a-1b2c3d4e5f60";

describe("one redaction at the logger", () => {
  it.each([
    ["the relay refusing a recipient", "mail not sent", { mailId: JOB_ID, error: "550 5.1.1 RCPT TO:<maria.santos@example.com> User unknown" }, ["maria.santos@example.com"], [JOB_ID, "550 5.1.1", "User unknown"]],
    ["the relay echoing the sender and a quoted address", "mail not sent", { error: 'MAIL FROM:<shop@cangoods.test> rejected; "Rosa Lim" <rosa.lim+orders@sub.example.co.uk>' }, ["shop@cangoods.test", "rosa.lim+orders@sub.example.co.uk"], ["rejected"]],
    ["an Error from Zoho naming the contact's email", "sync job failed", { jobId: JOB_ID, error: new Error("The contact with email ana.reyes@example.com already exists (code 3062)") }, ["ana.reyes@example.com"], [JOB_ID, "code 3062"]],
    ["an Error whose cause carries a token", "zoho connect failed", { error: new Error("token refresh failed", { cause: new Error("refresh_token=1000.abcdef0123456789abcdef.0123456789abcdef0123 invalid") }) }, ["1000.abcdef0123456789abcdef.0123456789abcdef0123"], ["token refresh failed", "invalid"]],
    ["a bearer header in a message", "webhook failed", { error: "401 for Authorization: Bearer sk_live_51HxYzAbCdEf" }, ["sk_live_51HxYzAbCdEf"], ["401"]],
    ["a Zoho OAuth header", "zoho call failed", { request: "GET /books/v3/contacts Authorization=Zoho-oauthtoken 1000.5f3e2d1c.a9b8c7d6" }, ["1000.5f3e2d1c.a9b8c7d6"], ["/books/v3/contacts"]],
    ["a mailed link with its token", "render failed", { error: "GET /reset-password?token=Qm9ndXMtdG9rZW4tdmFsdWUtZm9yLXRlc3Rz failed" }, ["Qm9ndXMtdG9rZW4tdmFsdWUtZm9yLXRlc3Rz"], ["/reset-password?token=", "failed"]],
    ["a password in an error text", "relay auth failed", { error: "535 authentication failed for user shop password=Hunter2-Secret" }, ["Hunter2-Secret"], ["535"]],
    ["a session id with no label", "unexpected", { detail: "session 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 not found" }, ["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"], ["not found"]],
    ["fields named like secrets", "sign-in", { password: "plain-text-password", csrfToken: "abc", cookie: "session=1" }, ["plain-text-password", "session=1"], ["sign-in"]],
    ["an address deep in nested fields", "batch", { outer: { inner: { list: [{ to: "deep@example.com" }] } } }, ["deep@example.com"], ["batch"]],
  ])("%s", (_what, message, fields, hidden, kept) => {
    const text = captured(() => log("warn", message, fields));
    for (const secret of hidden) expect(text).not.toContain(secret);
    for (const part of kept) expect(text).toContain(part);
  });

  it("keeps counts, kinds and dates readable", () => {
    const text = captured(() => log("info", "housekeeping", { email_links: 3, kind: "verify_email", at: "2026-12-02T03:00:00.000Z", path: "/admin/customers" }));
    expect(JSON.parse(text)).toMatchObject({ email_links: 3, kind: "verify_email", path: "/admin/customers" });
  });
});
