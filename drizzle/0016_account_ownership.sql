-- Ownership proven by a person (issue 19, docs/decisions/022): confirmation codes beside the mailed links, email
-- changes with a 7-day undo, taken-back accounts, and account closures ("this wasn't me", deleted by the customer).
CREATE TABLE "account_closures" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"reason" varchar(30) NOT NULL,
	"zoho_contact_id" text,
	"zoho_link_basis" varchar(20),
	CONSTRAINT "account_closures_reason_check" CHECK ("account_closures"."reason" in ('not_me', 'deleted_by_customer'))
);
--> statement-breakpoint
ALTER TABLE "email_outbox" DROP CONSTRAINT "email_outbox_kind_check";--> statement-breakpoint
ALTER TABLE "email_tokens" DROP CONSTRAINT "email_tokens_purpose_check";--> statement-breakpoint
ALTER TABLE "email_tokens" ADD COLUMN "code_hash" text;--> statement-breakpoint
ALTER TABLE "email_tokens" ADD COLUMN "code_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "email_tokens" ADD COLUMN "code_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "pending_email" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "pending_email_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "previous_email" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "previous_email_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "taken_back_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "account_closures_at_idx" ON "account_closures" USING btree ("at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "account_closures_contact_idx" ON "account_closures" USING btree ("zoho_contact_id") WHERE "account_closures"."zoho_contact_id" is not null;--> statement-breakpoint
ALTER TABLE "email_outbox" ADD CONSTRAINT "email_outbox_kind_check" CHECK ("email_outbox"."kind" in ('verify_email', 'reset_password', 'alert', 'account_exists', 'change_email', 'email_change_notice'));--> statement-breakpoint
ALTER TABLE "email_tokens" ADD CONSTRAINT "email_tokens_purpose_check" CHECK ("email_tokens"."purpose" in ('verify_email', 'reset_password', 'change_email', 'undo_email_change'));