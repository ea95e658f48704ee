CREATE TABLE "zoho_profile_updates" (
	"customer_id" uuid PRIMARY KEY NOT NULL,
	"contact_id" text NOT NULL,
	"status" varchar(20) NOT NULL,
	"wanted" jsonb NOT NULL,
	"base" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"sent_version" integer,
	"conflicts" jsonb,
	"note" text,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "zoho_profile_updates_status_check" CHECK ("zoho_profile_updates"."status" in ('pending', 'sent', 'conflict', 'failed', 'not_sent'))
);
--> statement-breakpoint
ALTER TABLE "zoho_sync_queue" DROP CONSTRAINT "zoho_sync_queue_action_check";--> statement-breakpoint
DROP INDEX "customers_review_reason_idx";--> statement-breakpoint
DROP INDEX "zoho_sync_queue_one_open_job";--> statement-breakpoint
ALTER TABLE "zoho_profile_updates" ADD CONSTRAINT "zoho_profile_updates_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "zoho_sync_queue_one_open_update" ON "zoho_sync_queue" USING btree ("customer_id") WHERE "zoho_sync_queue"."processed_at" is null and "zoho_sync_queue"."action" = 'update_contact';--> statement-breakpoint
CREATE INDEX "customers_review_reason_idx" ON "customers" USING btree ("zoho_review_reason","created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "customers"."zoho_sync_status" in ('skipped', 'failed') or "customers"."zoho_review_reason" in ('possible_duplicate', 'profile_conflict');--> statement-breakpoint
CREATE UNIQUE INDEX "zoho_sync_queue_one_open_job" ON "zoho_sync_queue" USING btree ("customer_id") WHERE "zoho_sync_queue"."processed_at" is null and "zoho_sync_queue"."action" <> 'update_contact';--> statement-breakpoint
ALTER TABLE "zoho_sync_queue" ADD CONSTRAINT "zoho_sync_queue_action_check" CHECK ("zoho_sync_queue"."action" in ('create', 'match', 'retry', 'match_or_create', 'check_duplicate', 'update_contact'));