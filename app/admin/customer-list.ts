// The admin list's URL contract (shared by the loader and the page): filters live in the query string.
import { z } from "zod";
import { SYNC_STATUSES } from "~/db/schema";
import { REVIEW_REASONS } from "~/sync/vocabulary";

export const ListQuerySchema = z.object({
  status: z.enum(SYNC_STATUSES).optional().catch(undefined),
  type: z.enum(["new", "returning"]).optional().catch(undefined),
  // Why the customer needs an admin (review or failed): ?reason=name_only
  reason: z.enum(REVIEW_REASONS).optional().catch(undefined),
  // Control characters (a NUL cannot even reach Postgres) are dropped from the search term.
  q: z
    .string()
    .max(100)
    .optional()
    .catch(undefined)
    .transform((v) => v?.replace(/[\u0000-\u001f\u007f]/g, "").trim() || undefined),
  sort: z.enum(["newest", "oldest", "name"]).catch("newest").default("newest"),
  after: z.string().max(200).optional().catch(undefined),
  before: z.string().max(200).optional().catch(undefined),
});
export type ListQuery = z.infer<typeof ListQuerySchema>;

/** At most this many words of a search are used (each one narrows the result). */
export const MAX_SEARCH_WORDS = 8;

/**
 * A search's words, as the index splits names and emails (drizzle/0014): lower case, cut at anything that is
 * not a letter or a digit. "Ana dela-Cruz" → ana, dela, cruz; "ZEN@SEARCH" → zen, search; "%" → none.
 */
export function searchWords(q: string | undefined): string[] {
  return (q ?? "").toLowerCase().split(/[^\p{L}\p{M}\p{N}]+/u).filter(Boolean).slice(0, MAX_SEARCH_WORDS);
}

/** The words as a Postgres prefix query: every word must start a word of the customer's name or email. */
export function searchPrefixQuery(words: string[]): string {
  return words.map((w) => `${w}:*`).join(" & ");
}

export function parseListQuery(url: URL): ListQuery {
  return ListQuerySchema.parse(Object.fromEntries(url.searchParams));
}

/** The URL of this view with some parameters changed (cursors are dropped unless given). */
export function listUrl(query: ListQuery, change: Partial<Record<keyof ListQuery, string | undefined>>) {
  const params = new URLSearchParams();
  const merged = { status: query.status, type: query.type, reason: query.reason, q: query.q, sort: query.sort === "newest" ? undefined : query.sort, ...change };
  for (const [k, v] of Object.entries(merged)) if (v) params.set(k, v);
  const s = params.toString();
  return `/admin/customers${s ? `?${s}` : ""}`;
}
