// The audit page's URL contract (shared by its loader, its CSV download and the filter form): filters live in
// the query string, like the customer list's.
import { z } from "zod";
import { blankToUndefined, LogRangeFields } from "~/common/log-query";
import { ADMIN_ACTIONS } from "./actions";

export const AuditQuerySchema = z.object({
  admin: z.preprocess(blankToUndefined, z.uuid({ error: "Choose an admin from the list." }).optional()),
  action: z.preprocess(blankToUndefined, z.enum(ADMIN_ACTIONS, { error: "Choose an action from the list." }).optional()),
  customer: z.preprocess(blankToUndefined, z.uuid({ error: "A customer id looks like 0b7c…-…: copy it from the customer's page." }).optional()),
  ...LogRangeFields,
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

/** The filters of a URL; an invalid filter is dropped (the form shows why). */
export function parseAuditQuery(url: URL): AuditQuery {
  const raw = Object.fromEntries(url.searchParams);
  const parsed = AuditQuerySchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const bad = new Set(parsed.error.issues.map((i) => String(i.path[0])));
  return AuditQuerySchema.parse(Object.fromEntries(Object.entries(raw).filter(([k]) => !bad.has(k))));
}

export const auditQueryParams = (q: AuditQuery): Record<string, string | undefined> => ({
  admin: q.admin,
  action: q.action,
  customer: q.customer,
  from: q.from,
  to: q.to,
});
