DROP INDEX "customers_zoho_contact_idx";--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "zoho_link_basis" varchar(20);--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "zoho_contact_email" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "zoho_review_reason" varchar(30);--> statement-breakpoint
CREATE UNIQUE INDEX "customers_zoho_contact_unique" ON "customers" USING btree ("zoho_contact_id") WHERE "customers"."zoho_contact_id" is not null;--> statement-breakpoint
CREATE INDEX "customers_review_reason_idx" ON "customers" USING btree ("zoho_review_reason","created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "customers"."zoho_sync_status" in ('skipped', 'failed');--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_zoho_link_basis_check" CHECK ("customers"."zoho_link_basis" in ('verified_email', 'created', 'admin'));