-- The admin list's search by words (docs/decisions/020): each word typed matches the start of a word of the
-- customer's name or email (the whole address, and its parts split at @ . + _ -). A GIN index on a stored
-- tsvector reads only the matching words' entries, so a search costs what it finds, however common the other
-- words of the table are (the trigram index it replaces read every row's entry for "cus", "tom", …).
-- Adding a stored column rewrites customers once, under a lock (seconds at 100,000 rows): deploy off-peak.
ALTER TABLE "customers" ADD COLUMN "search_words" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, first_name || ' ' || last_name || ' ' || email || ' ' || translate(email, '@.+_-', '     '))) STORED;--> statement-breakpoint
CREATE INDEX "customers_search_words_idx" ON "customers" USING gin ("search_words");--> statement-breakpoint
DROP INDEX IF EXISTS "customers_search_trgm_idx";
