CREATE TABLE "auth_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"window_started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "backfill_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_by" uuid,
	"total" integer DEFAULT 0 NOT NULL,
	"enqueued" integer DEFAULT 0 NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "cron_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"trigger" varchar(20) NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"leases_recovered" integer DEFAULT 0 NOT NULL,
	"jobs_enqueued" integer DEFAULT 0 NOT NULL,
	"skipped_for_budget" integer DEFAULT 0 NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"email" text NOT NULL,
	"phone" text NOT NULL,
	"delivery_method" varchar(20) NOT NULL,
	"address_line1" text,
	"address_line2" text,
	"city" text,
	"province" text,
	"postal_code" text,
	"is_returning_customer" boolean DEFAULT false NOT NULL,
	"zoho_sync_status" varchar(20) DEFAULT 'pending' NOT NULL,
	"zoho_sync_error" text,
	"zoho_sync_attempts" integer DEFAULT 0 NOT NULL,
	"zoho_last_sync_at" timestamp with time zone,
	"zoho_contact_id" text,
	"zoho_contact_name" text,
	"zoho_match_type" varchar(20),
	"zoho_sync_candidates" jsonb,
	"zoho_linked_at" timestamp with time zone,
	"zoho_failure_notified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customers_zoho_sync_status_check" CHECK ("customers"."zoho_sync_status" in ('pending', 'syncing', 'synced', 'failed', 'skipped', 'manual')),
	CONSTRAINT "customers_delivery_method_check" CHECK ("customers"."delivery_method" in ('delivery', 'pickup'))
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" varchar(20) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_sign_in_at" timestamp with time zone,
	CONSTRAINT "users_role_check" CHECK ("users"."role" in ('admin', 'customer'))
);
--> statement-breakpoint
CREATE TABLE "zoho_api_ledger" (
	"day" date PRIMARY KEY NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"sync" integer DEFAULT 0 NOT NULL,
	"invoice" integer DEFAULT 0 NOT NULL,
	"admin" integer DEFAULT 0 NOT NULL,
	"refused" integer DEFAULT 0 NOT NULL,
	"token_refreshes" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "zoho_invoice_cache" (
	"contact_id" text NOT NULL,
	"page" integer NOT NULL,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL,
	"invoices" jsonb NOT NULL,
	"has_more" boolean DEFAULT false NOT NULL,
	CONSTRAINT "zoho_invoice_cache_contact_id_page_pk" PRIMARY KEY("contact_id","page")
);
--> statement-breakpoint
CREATE TABLE "zoho_sync_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"customer_id" uuid NOT NULL,
	"job_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"action" varchar(40) NOT NULL,
	"outcome" varchar(40) NOT NULL,
	"match_type" varchar(20),
	"zoho_calls" integer DEFAULT 0 NOT NULL,
	"error" text,
	"duration_ms" integer,
	"actor_user_id" uuid,
	"details" jsonb
);
--> statement-breakpoint
CREATE TABLE "zoho_sync_queue" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"customer_id" uuid NOT NULL,
	"action" varchar(20) NOT NULL,
	"priority" integer DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 3 NOT NULL,
	"last_error" text,
	"scheduled_for" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"locked_until" timestamp with time zone,
	"locked_by" text,
	"enqueued_at" timestamp with time zone,
	"create_attempted_at" timestamp with time zone,
	CONSTRAINT "zoho_sync_queue_action_check" CHECK ("zoho_sync_queue"."action" in ('create', 'match', 'retry'))
);
--> statement-breakpoint
CREATE TABLE "zoho_tokens" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"status" varchar(30) NOT NULL,
	"refresh_token_enc" text NOT NULL,
	"access_token_enc" text,
	"access_token_expires_at" timestamp with time zone,
	"api_domain" text NOT NULL,
	"accounts_server" text NOT NULL,
	"data_centre" varchar(10),
	"scopes" text NOT NULL,
	"organization_id" text,
	"organization_name" text,
	"connected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"connected_by" uuid,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"refresh_locked_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "zoho_sync_events" ADD CONSTRAINT "zoho_sync_events_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "zoho_sync_queue" ADD CONSTRAINT "zoho_sync_queue_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cron_runs_started_idx" ON "cron_runs" USING btree ("started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "customers_email_lower_idx" ON "customers" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "customers_user_idx" ON "customers" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "customers_created_idx" ON "customers" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "customers_status_created_idx" ON "customers" USING btree ("zoho_sync_status","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "customers_zoho_contact_idx" ON "customers" USING btree ("zoho_contact_id");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_expires_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_lower_idx" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "zoho_sync_events_customer_idx" ON "zoho_sync_events" USING btree ("customer_id","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_zoho_sync_queue_pending" ON "zoho_sync_queue" USING btree ("scheduled_for") WHERE "zoho_sync_queue"."processed_at" is null;--> statement-breakpoint
CREATE INDEX "idx_zoho_sync_queue_customer" ON "zoho_sync_queue" USING btree ("customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "zoho_sync_queue_one_open_job" ON "zoho_sync_queue" USING btree ("customer_id") WHERE "zoho_sync_queue"."processed_at" is null;