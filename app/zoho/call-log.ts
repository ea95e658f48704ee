// What the Zoho call log may keep of a request and an answer (pure, unit-tested): the method and path with the
// query string cleaned (tokens, secrets, codes and email addresses removed BEFORE the row is written), and
// Zoho's message without email addresses. And the call log page's URL contract.
import { z } from "zod";
import { blankToUndefined, logQuery } from "~/common/log-query";

const SECRET_NAME = /token|secret|password|code|state|client_id|key|signature|session|csrf/i;
const EMAIL = /[^\s<>()[\]{}"',;:@/?&=]+@[^\s<>()[\]{}"',;:@/?&=]+/g;
const ZOHO_TOKEN = /\b1000\.[0-9a-f]{16,}\.[0-9a-f]{16,}\b/gi;
export const REDACTED = "[redacted]";

/**
 * "/books/v3/contacts?email=ana@example.com&organization_id=1" → "/books/v3/contacts?email=[redacted]&organization_id=1".
 * A parameter named like a secret loses its value; any value holding an email address or a Zoho token does too.
 */
export function loggedPath(url: URL | string): string {
  const u = typeof url === "string" ? new URL(url, "http://zoho.invalid") : url;
  const params = [...u.searchParams].map(([k, v]) => {
    const hidden = SECRET_NAME.test(k) || /@/.test(v) || ZOHO_TOKEN.test(v);
    ZOHO_TOKEN.lastIndex = 0;
    return `${encodeURIComponent(k)}=${hidden ? REDACTED : encodeURIComponent(v)}`;
  });
  const path = decodeURIComponent(u.pathname).replace(EMAIL, REDACTED).replace(ZOHO_TOKEN, REDACTED);
  return `${path}${params.length ? `?${params.join("&")}` : ""}`.slice(0, 500);
}

/** Zoho's message, without email addresses or tokens, at most 300 characters. */
export function loggedMessage(message: string | null | undefined): string | null {
  if (!message) return null;
  return message.replace(EMAIL, REDACTED).replace(ZOHO_TOKEN, REDACTED).slice(0, 300);
}

/** What a call was for: the ledger's purposes, and Zoho Accounts' token calls. */
export const CALL_LOG_PURPOSES = ["sync", "invoice", "admin", "mirror", "token"] as const;
export type CallLogPurpose = (typeof CALL_LOG_PURPOSES)[number];

const zohoCallQuery = logQuery({
  purpose: z.preprocess(blankToUndefined, z.enum(CALL_LOG_PURPOSES, { error: "Choose a purpose from the list." }).optional()),
  outcome: z.preprocess(blankToUndefined, z.enum(["ok", "error"], { error: "Choose an outcome from the list." }).optional()),
});

export const ZohoCallQuerySchema = zohoCallQuery.schema;
export type ZohoCallQuery = z.infer<typeof ZohoCallQuerySchema>;
export const parseZohoCallQuery = zohoCallQuery.parse;
export const zohoCallQueryParams = zohoCallQuery.params;
