-- Keyset pagination of the admin list sorted by last name stays index-backed at 100,000+ customers.
CREATE INDEX IF NOT EXISTS "customers_name_sort_idx" ON "customers" ((lower("last_name" || ' ' || "first_name")), "id");
