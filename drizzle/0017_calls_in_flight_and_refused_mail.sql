CREATE TABLE "zoho_call_slots" (
	"slot" integer PRIMARY KEY NOT NULL,
	"held_until" timestamp with time zone,
	"holder" uuid
);
--> statement-breakpoint
ALTER TABLE "email_outbox" ADD COLUMN "refused_at" timestamp with time zone;