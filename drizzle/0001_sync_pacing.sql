CREATE TABLE "zoho_api_minutes" (
	"minute" timestamp with time zone PRIMARY KEY NOT NULL,
	"calls" integer DEFAULT 0 NOT NULL
);
