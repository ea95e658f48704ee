-- The sweep takes due jobs by priority, then time: read in that order from an index of open jobs only.
CREATE INDEX IF NOT EXISTS "zoho_sync_queue_due_idx" ON "zoho_sync_queue" ("priority" DESC, "scheduled_for", "created_at") WHERE "processed_at" IS NULL;
