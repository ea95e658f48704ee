CREATE TABLE "zoho_sync_health" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"paused" boolean DEFAULT false NOT NULL,
	"streak_jobs" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"paused_since" timestamp with time zone,
	"next_probe_at" timestamp with time zone,
	"probe_delay_ms" integer DEFAULT 60000 NOT NULL,
	"last_error" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "zoho_sync_queue" DROP CONSTRAINT "zoho_sync_queue_action_check";--> statement-breakpoint
ALTER TABLE "zoho_sync_queue" DROP COLUMN "max_attempts";--> statement-breakpoint
ALTER TABLE "zoho_sync_queue" ADD CONSTRAINT "zoho_sync_queue_action_check" CHECK ("zoho_sync_queue"."action" in ('create', 'match', 'retry', 'match_or_create', 'check_duplicate'));