-- Trigram index for the admin list's search by name or email (substring, case-insensitive), so the
-- search stays index-backed at 100,000+ customers. pg_trgm ships with Postgres and is enabled on Neon.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "customers_search_trgm_idx" ON "customers" USING gin ((lower("first_name" || ' ' || "last_name" || ' ' || "email")) gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "customers_type_created_idx" ON "customers" ("is_returning_customer", "created_at" DESC, "id" DESC);
