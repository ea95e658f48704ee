CREATE TABLE "zoho_mirror_contacts" (
	"contact_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"company" text DEFAULT '' NOT NULL,
	"email" text DEFAULT '' NOT NULL,
	"status" text NOT NULL,
	"contact_type" text NOT NULL,
	"last_modified_time" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "zoho_mirror_invoices" (
	"invoice_id" text PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"invoice_number" text NOT NULL,
	"date" text NOT NULL,
	"due_date" text,
	"status" text NOT NULL,
	"total" text NOT NULL,
	"balance" text NOT NULL,
	"currency_code" text NOT NULL,
	"last_modified_time" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "zoho_mirror_state" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"full_read_mark" timestamp with time zone,
	"full_read_phase" text DEFAULT 'contacts' NOT NULL,
	"full_read_page" integer DEFAULT 1 NOT NULL,
	"full_read_started_at" timestamp with time zone,
	"full_read_done_at" timestamp with time zone,
	"contacts_watermark" timestamp with time zone,
	"contacts_refreshed_at" timestamp with time zone,
	"invoices_watermark" timestamp with time zone,
	"invoices_refreshed_at" timestamp with time zone,
	"contacts_lease_until" timestamp with time zone,
	"invoices_lease_until" timestamp with time zone,
	"full_read_lease_until" timestamp with time zone,
	"last_error" text
);
--> statement-breakpoint
ALTER TABLE "zoho_api_ledger" ADD COLUMN "mirror" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "zoho_mirror_contacts_email_idx" ON "zoho_mirror_contacts" USING btree ("email");--> statement-breakpoint
CREATE INDEX "zoho_mirror_invoices_customer_idx" ON "zoho_mirror_invoices" USING btree ("customer_id","date");--> statement-breakpoint
INSERT INTO "zoho_mirror_state" ("id") VALUES (1) ON CONFLICT DO NOTHING;
