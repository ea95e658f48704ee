CREATE TABLE "admin_invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"admin_role" varchar(10) NOT NULL,
	"token_hash" text,
	"invited_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_user_id" uuid,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "admin_invitations_role_check" CHECK ("admin_invitations"."admin_role" in ('owner', 'staff'))
);
--> statement-breakpoint
ALTER TABLE "email_outbox" DROP CONSTRAINT "email_outbox_kind_check";--> statement-breakpoint
ALTER TABLE "email_outbox" ADD COLUMN "invitation_id" uuid;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "admin_role" varchar(10);--> statement-breakpoint
-- Hand-written (placed before the check below adds users_admin_role_check, which refuses an admin without a role):
-- every admin who exists today becomes an owner, as they could do everything until now.
UPDATE "users" SET "admin_role" = 'owner' WHERE "role" = 'admin';--> statement-breakpoint
ALTER TABLE "admin_invitations" ADD CONSTRAINT "admin_invitations_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admin_invitations" ADD CONSTRAINT "admin_invitations_accepted_user_id_users_id_fk" FOREIGN KEY ("accepted_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "admin_invitations_token_idx" ON "admin_invitations" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "admin_invitations_open_email_idx" ON "admin_invitations" USING btree (lower("email")) WHERE "admin_invitations"."accepted_at" is null and "admin_invitations"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "admin_invitations_created_idx" ON "admin_invitations" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
ALTER TABLE "email_outbox" ADD CONSTRAINT "email_outbox_invitation_id_admin_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."admin_invitations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_outbox" ADD CONSTRAINT "email_outbox_kind_check" CHECK ("email_outbox"."kind" in ('verify_email', 'reset_password', 'alert', 'account_exists', 'change_email', 'email_change_notice', 'admin_invitation'));--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_admin_role_check" CHECK (("users"."role" = 'admin' and "users"."admin_role" is not null and "users"."admin_role" in ('owner', 'staff')) or ("users"."role" <> 'admin' and "users"."admin_role" is null));--> statement-breakpoint
-- Hand-written: the last owner can be neither removed nor demoted, whatever the client (docs/decisions/033).
-- Every change that takes an owner away first takes one transaction-wide advisory lock, then looks for another
-- owner with a fresh snapshot (a volatile function under read committed): of two owners removing each other at
-- the same moment, the second waits for the first to commit, then finds no other owner and is refused.
CREATE FUNCTION users_keep_an_owner() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.admin_role = 'owner' AND (TG_OP = 'DELETE' OR NEW.admin_role IS DISTINCT FROM 'owner') THEN
    PERFORM pg_advisory_xact_lock(hashtext('users_keep_an_owner'));
    IF NOT EXISTS (SELECT 1 FROM users WHERE admin_role = 'owner' AND id <> OLD.id) THEN
      RAISE EXCEPTION 'the last owner cannot be removed or demoted' USING ERRCODE = 'check_violation', CONSTRAINT = 'users_keep_an_owner';
    END IF;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER users_keep_an_owner AFTER UPDATE OF admin_role, role OR DELETE ON users FOR EACH ROW EXECUTE FUNCTION users_keep_an_owner();
