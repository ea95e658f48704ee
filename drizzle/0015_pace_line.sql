-- Sync jobs turned away by the per-minute pace wait in line (app/sync/pace-line.server.ts, docs/decisions/021).
CREATE TABLE "zoho_pace_line" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"next_slot" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "zoho_api_ledger" ADD COLUMN "sync_wasted" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "zoho_sync_queue" ADD COLUMN "pace_slot" timestamp with time zone;