ALTER TABLE "zoho_mirror_invoices" ADD COLUMN "seen_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "zoho_mirror_state" ADD COLUMN "pass_started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "zoho_mirror_state" ADD COLUMN "pass_phase" text DEFAULT 'contacts' NOT NULL;--> statement-breakpoint
ALTER TABLE "zoho_mirror_state" ADD COLUMN "pass_page" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "zoho_mirror_state" ADD COLUMN "pass_done_at" timestamp with time zone;