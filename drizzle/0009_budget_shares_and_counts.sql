CREATE TABLE "customer_status_counts" (
	"zoho_sync_status" varchar(20) NOT NULL,
	"is_returning_customer" boolean NOT NULL,
	"shard" integer NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "customer_status_counts_zoho_sync_status_is_returning_customer_shard_pk" PRIMARY KEY("zoho_sync_status","is_returning_customer","shard")
);
--> statement-breakpoint
CREATE TABLE "zoho_order_calls" (
	"day" date NOT NULL,
	"contact_id" text NOT NULL,
	"calls" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "zoho_order_calls_day_contact_id_pk" PRIMARY KEY("day","contact_id")
);
