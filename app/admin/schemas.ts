// Forms of the admin customer detail page (shared by the route's action and the browser).
import { z } from "zod";

export const ContactIdSchema = z
  .string({ error: "Enter a Zoho contact id." })
  .trim()
  .regex(/^\d{1,30}$/, { error: "A Zoho contact id is a number, e.g. 460000000026049." });

export const CustomerActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("retry") }),
  z.object({ intent: z.literal("unlink") }),
  z.object({ intent: z.literal("link"), contactId: ContactIdSchema }),
  // An admin confirms the suggested contact of a customer in review (name-only match, …).
  z.object({ intent: z.literal("confirm"), contactId: ContactIdSchema }),
]);

/** "Confirm all suggested links": the count the admin saw, so a changed list asks again. */
export const ConfirmAllSchema = z.object({
  intent: z.literal("confirm_all"),
  expected: z.coerce.number({ error: "Missing count." }).int().min(1).max(100_000),
});

/** "Retry all failed" on the dashboard: the count the admin confirmed, so a changed list asks again. */
export const RetryAllSchema = z.object({
  intent: z.literal("retry_all_failed"),
  expected: z.coerce.number({ error: "Missing count." }).int().min(1).max(1_000_000),
});

export const ContactSearchSchema = z.object({
  zq: z
    .string({ error: "Type a name or an email to search." })
    .trim()
    .min(2, { error: "Type at least 2 characters." })
    .max(100, { error: "Use at most 100 characters." }),
});

/** The admins page (/admin/admins): an owner invites, revokes an invitation, changes a role, removes an admin. */
export const ADMIN_ROLE_CHOICES = ["staff", "owner"] as const;
const AdminRoleSchema = z.enum(ADMIN_ROLE_CHOICES, { error: "Choose owner or staff." });
export const InviteAdminSchema = z.object({
  intent: z.literal("invite"),
  email: z.email({ error: "Enter the email address to invite, like name@example.com." }).max(254, { error: "Use at most 254 characters." }).trim(),
  role: AdminRoleSchema,
});
export const AdminsActionSchema = z.discriminatedUnion("intent", [
  InviteAdminSchema,
  z.object({ intent: z.literal("revoke"), invitationId: z.uuid({ error: "Unknown invitation." }) }),
  z.object({ intent: z.literal("change_role"), userId: z.uuid({ error: "Unknown admin." }), role: AdminRoleSchema }),
  z.object({ intent: z.literal("remove"), userId: z.uuid({ error: "Unknown admin." }) }),
]);
