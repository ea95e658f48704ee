// The audit page's URL contract (shared by its loader, its CSV download and the filter form): filters live in
// the query string, like the customer list's; the customer and date filters are every log's (logQuery).
import { z } from "zod";
import { blankToUndefined, logQuery } from "~/common/log-query";
import { ADMIN_ACTIONS } from "./actions";

const auditQuery = logQuery({
  admin: z.preprocess(blankToUndefined, z.uuid({ error: "Choose an admin from the list." }).optional()),
  action: z.preprocess(blankToUndefined, z.enum(ADMIN_ACTIONS, { error: "Choose an action from the list." }).optional()),
});

export const AuditQuerySchema = auditQuery.schema;
export type AuditQuery = z.infer<typeof AuditQuerySchema>;
/** The filters of a URL; an invalid filter is dropped (the form shows why). */
export const parseAuditQuery = auditQuery.parse;
export const auditQueryParams = auditQuery.params;
