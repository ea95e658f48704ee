-- Admins are created by the operator (admin:create), never by self-registration: their addresses count
-- as verified. Existing customer accounts stay unverified (they may have claimed somebody else's
-- address) and are not removed: remove_unverified_after stays null for them.
UPDATE "users" SET "email_verified_at" = "created_at" WHERE "role" = 'admin' AND "email_verified_at" IS NULL;
