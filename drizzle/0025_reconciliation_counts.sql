ALTER TABLE "zoho_mirror_state" ADD COLUMN "reconciliation_counts" jsonb;--> statement-breakpoint
ALTER TABLE "zoho_mirror_state" ADD COLUMN "reconciliation_counted_at" timestamp with time zone;