CREATE TABLE "admin_audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"admin_id" uuid,
	"action" varchar(60) NOT NULL,
	"client_address" varchar(64),
	"customer_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"contact_id" varchar(40),
	"count" integer,
	"before" jsonb,
	"after" jsonb,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "admin_audit_policy" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"retention_days" integer DEFAULT 400 NOT NULL,
	CONSTRAINT "admin_audit_policy_one_row" CHECK ("admin_audit_policy"."id" = 1),
	CONSTRAINT "admin_audit_policy_min_days" CHECK ("admin_audit_policy"."retention_days" >= 30)
);
--> statement-breakpoint
CREATE TABLE "zoho_call_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"purpose" varchar(20) NOT NULL,
	"method" varchar(10) NOT NULL,
	"path" varchar(500) NOT NULL,
	"http_status" integer,
	"zoho_code" integer,
	"message" varchar(300),
	"duration_ms" integer NOT NULL,
	"customer_id" uuid,
	"admin_id" uuid
);
--> statement-breakpoint
CREATE INDEX "admin_audit_log_at_idx" ON "admin_audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "admin_audit_log_admin_idx" ON "admin_audit_log" USING btree ("admin_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "admin_audit_log_customers_idx" ON "admin_audit_log" USING gin ("customer_ids");--> statement-breakpoint
CREATE INDEX "zoho_call_log_at_idx" ON "zoho_call_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "zoho_call_log_customer_idx" ON "zoho_call_log" USING btree ("customer_id","id" DESC NULLS LAST);--> statement-breakpoint
-- Hand-written: the audit log is append-only. UPDATE and TRUNCATE are refused; DELETE only of rows older
-- than the retention in admin_audit_policy (set by the hourly prune from AUDIT_RETENTION_DAYS, never below
-- 30 days; a missing policy row counts as 400 days).
INSERT INTO "admin_audit_policy" ("id", "retention_days") VALUES (1, 400) ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE FUNCTION admin_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  keep_days integer;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'admin_audit_log is append-only: UPDATE refused' USING ERRCODE = 'insufficient_privilege';
  ELSIF TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION 'admin_audit_log is append-only: TRUNCATE refused' USING ERRCODE = 'insufficient_privilege';
  END IF;
  keep_days := greatest(coalesce((SELECT retention_days FROM admin_audit_policy WHERE id = 1), 400), 30);
  IF OLD.at > now() - make_interval(days => keep_days) THEN
    RAISE EXCEPTION 'admin_audit_log is append-only: row % is younger than the retention (% days), DELETE refused', OLD.id, keep_days
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN OLD;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER admin_audit_log_no_update BEFORE UPDATE OR DELETE ON "admin_audit_log"
  FOR EACH ROW EXECUTE FUNCTION admin_audit_log_append_only();
--> statement-breakpoint
CREATE TRIGGER admin_audit_log_no_truncate BEFORE TRUNCATE ON "admin_audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION admin_audit_log_append_only();
