-- Customers per (sync status, type), kept by triggers so the admin list and dashboard never count the whole
-- table. Triggers, not application code, because several modules write customers (registration, sync,
-- admin actions, backfill, housekeeping). Statement-level with transition tables: a bulk write (1M rows
-- seeded, "retry all failed") costs one grouped upsert, not one per row. Each connection writes to its own
-- shard (backend pid mod 16), so concurrent registrations do not queue on one counter row; rows are upserted
-- in key order so two statements never lock the same counters in opposite orders. Readers sum the shards.
CREATE OR REPLACE FUNCTION customer_status_counts_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO customer_status_counts (zoho_sync_status, is_returning_customer, shard, n)
  SELECT zoho_sync_status, is_returning_customer, pg_backend_pid() % 16, count(*)::int FROM new_rows
  GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (zoho_sync_status, is_returning_customer, shard) DO UPDATE SET n = customer_status_counts.n + excluded.n;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION customer_status_counts_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO customer_status_counts (zoho_sync_status, is_returning_customer, shard, n)
  SELECT zoho_sync_status, is_returning_customer, pg_backend_pid() % 16, -count(*)::int FROM old_rows
  GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (zoho_sync_status, is_returning_customer, shard) DO UPDATE SET n = customer_status_counts.n + excluded.n;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Every UPDATE of customers fires this (transition tables cannot be limited to some columns); an update that
-- changes neither status nor type nets to zero and writes nothing.
CREATE OR REPLACE FUNCTION customer_status_counts_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO customer_status_counts (zoho_sync_status, is_returning_customer, shard, n)
  SELECT s, r, pg_backend_pid() % 16, sum(d)::int FROM (
    SELECT zoho_sync_status AS s, is_returning_customer AS r, -1 AS d FROM old_rows
    UNION ALL
    SELECT zoho_sync_status, is_returning_customer, 1 FROM new_rows) moves
  GROUP BY 1, 2 HAVING sum(d) <> 0 ORDER BY 1, 2
  ON CONFLICT (zoho_sync_status, is_returning_customer, shard) DO UPDATE SET n = customer_status_counts.n + excluded.n;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION customer_status_counts_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM customer_status_counts;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER customers_counts_insert AFTER INSERT ON customers REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION customer_status_counts_on_insert();
--> statement-breakpoint
CREATE TRIGGER customers_counts_delete AFTER DELETE ON customers REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION customer_status_counts_on_delete();
--> statement-breakpoint
CREATE TRIGGER customers_counts_update AFTER UPDATE ON customers REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION customer_status_counts_on_update();
--> statement-breakpoint
CREATE TRIGGER customers_counts_truncate AFTER TRUNCATE ON customers
  FOR EACH STATEMENT EXECUTE FUNCTION customer_status_counts_on_truncate();
--> statement-breakpoint
-- Existing customers (the table is locked by the migration's transaction while this runs).
INSERT INTO customer_status_counts (zoho_sync_status, is_returning_customer, shard, n)
SELECT zoho_sync_status, is_returning_customer, 0, count(*)::int FROM customers GROUP BY 1, 2;
