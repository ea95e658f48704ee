// Invitations to the admin console (issue 23, item 3). An owner invites an address as owner or staff; the mail's
// link (single-use, 72 hours, only its SHA-256 kept, minted when the mail is sent: app/email/link-tokens.server.ts)
// opens a page where the invitee chooses a password. Opening the page changes nothing (docs/decisions/022); the
// form's POST creates the admin account and uses the invitation up. An address that already has an account (a
// customer's included) cannot be invited: an admin signs in with an address of their own (docs/decisions/033).
import { and, desc, eq, sql } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import type { DbOrTx } from "~/db/client.server";
import { adminInvitations, customers, users, type AdminRole } from "~/db/schema";
import { hashToken } from "~/email/link-tokens.server";
import { sendSoon } from "~/email/outbox.server";
import { hashPassword } from "~/auth/password.server";
import { hitLimits, LIMITS, limitKeys } from "~/auth/rate-limit.server";
import { adminsChanged, type Actor } from "./admins.server";

export const INVITATION_TTL_MS = 72 * 60 * 60_000;

export type InviteResult =
  | { ok: true; invitationId: string }
  | { ok: false; reason: "admin" | "customer" | "pending" }
  | { ok: false; reason: "wait"; retryAfterSeconds: number };

export const INVITE_REFUSED: Record<"admin" | "customer" | "pending", string> = {
  admin: "This address already belongs to an admin.",
  customer:
    "This address belongs to a customer account. An admin needs an address of their own: invite another address (a customer account cannot become an admin).",
  pending: "This address already has an invitation waiting. Revoke it first to send a new one.",
};

function isUniqueViolation(error: unknown): boolean {
  for (let e = error as { code?: string; cause?: unknown } | undefined, i = 0; e && i < 4; e = e.cause as typeof e, i++) if (e.code === "23505") return true;
  return false;
}

export async function inviteAdmin(app: AppServices, owner: Actor, input: { email: string; role: AdminRole }, now = new Date()): Promise<InviteResult> {
  const email = input.email.trim();
  const verdict = await hitLimits(
    app.db,
    limitKeys("invite", { account: { id: owner.id, limit: LIMITS.adminInvitation.account }, email: { id: email, limit: LIMITS.adminInvitation.email } }),
    now,
  );
  if (!verdict.ok) return { ok: false, reason: "wait", retryAfterSeconds: verdict.retryAfterSeconds };
  try {
    return await app.db.transaction(async (tx): Promise<InviteResult> => {
      const [account] = await tx.select({ role: users.role }).from(users).where(sql`lower(${users.email}) = lower(${email})`);
      if (account) return { ok: false, reason: account.role === "admin" ? "admin" : "customer" };
      const [customer] = await tx.select({ id: customers.id }).from(customers).where(sql`lower(${customers.email}) = lower(${email})`);
      if (customer) return { ok: false, reason: "customer" };
      // An open invitation that expired no longer stands in the way: it is closed as revoked.
      const [open] = await tx
        .select({ id: adminInvitations.id, expiresAt: adminInvitations.expiresAt })
        .from(adminInvitations)
        .where(and(sql`lower(${adminInvitations.email}) = lower(${email})`, openInvitation()))
        .for("update");
      if (open && open.expiresAt > now) return { ok: false, reason: "pending" };
      if (open) await tx.update(adminInvitations).set({ revokedAt: now }).where(eq(adminInvitations.id, open.id));
      const [created] = await tx
        .insert(adminInvitations)
        .values({ email, adminRole: input.role, invitedBy: owner.id, createdAt: now, expiresAt: new Date(now.getTime() + INVITATION_TTL_MS) })
        .returning({ id: adminInvitations.id });
      await sendSoon(app, tx, [{ kind: "admin_invitation", invitationId: created.id, to: email }]);
      await adminsChanged(tx, owner, { action: "invited", invitationId: created.id, role: input.role });
      return { ok: true, invitationId: created.id };
    });
  } catch (error) {
    // Two owners inviting the same address at once: one invitation stands.
    if (isUniqueViolation(error)) return { ok: false, reason: "pending" };
    throw error;
  }
}

const openInvitation = () => sql`${adminInvitations.acceptedAt} is null and ${adminInvitations.revokedAt} is null`;

export type PendingInvitation = { id: string; email: string; role: AdminRole; createdAt: Date; expiresAt: Date; expired: boolean; invitedBy: string | null };

/** Invitations neither accepted nor revoked (expired ones too, so an owner sees them and can invite again), newest first. */
export async function pendingInvitations(db: DbOrTx, now = new Date()): Promise<PendingInvitation[]> {
  const rows = await db
    .select({
      id: adminInvitations.id,
      email: adminInvitations.email,
      role: adminInvitations.adminRole,
      createdAt: adminInvitations.createdAt,
      expiresAt: adminInvitations.expiresAt,
      invitedBy: users.email,
    })
    .from(adminInvitations)
    .leftJoin(users, eq(users.id, adminInvitations.invitedBy))
    .where(openInvitation())
    .orderBy(desc(adminInvitations.createdAt))
    .limit(200);
  return rows.map((r) => ({ ...r, expired: r.expiresAt <= now }));
}

export async function revokeInvitation(app: AppServices, owner: Actor, invitationId: string, now = new Date()): Promise<{ ok: true; email: string } | { ok: false }> {
  return app.db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(adminInvitations)
      .set({ revokedAt: now })
      .where(and(eq(adminInvitations.id, invitationId), openInvitation()))
      .returning({ email: adminInvitations.email });
    if (!revoked) return { ok: false } as const;
    await adminsChanged(tx, owner, { action: "invitation_revoked", invitationId });
    return { ok: true, email: revoked.email } as const;
  });
}

export type InvitationRefusal = "unknown" | "used" | "revoked" | "expired" | "taken";
export type InvitationCheck = { ok: true; email: string; role: AdminRole; expiresAt: Date } | { ok: false; reason: InvitationRefusal };

export const INVITATION_REFUSED: Record<InvitationRefusal, string> = {
  unknown: "This invitation link is not valid (a newer invitation mail replaces an earlier one). Ask an owner of the shop to invite you again.",
  used: "This invitation has already been accepted. Sign in with the password you chose.",
  revoked: "This invitation was withdrawn by an owner of the shop. Ask an owner if you think it should still stand.",
  expired: "This invitation has expired (invitations work for 72 hours). Ask an owner of the shop to invite you again.",
  taken: "This address has an account already, so it cannot become a new admin. Ask an owner of the shop to invite another address.",
};

type InvitationRow = typeof adminInvitations.$inferSelect;

function judge(row: InvitationRow | undefined, now: Date): InvitationCheck {
  if (!row) return { ok: false, reason: "unknown" };
  if (row.acceptedAt) return { ok: false, reason: "used" };
  if (row.revokedAt) return { ok: false, reason: "revoked" };
  if (row.expiresAt <= now) return { ok: false, reason: "expired" };
  return { ok: true, email: row.email, role: row.adminRole, expiresAt: row.expiresAt };
}

/** Whether an invitation link would work, changing nothing: what its page (a GET) may do. */
export async function checkInvitation(db: DbOrTx, token: string, now = new Date()): Promise<InvitationCheck> {
  const [row] = await db.select().from(adminInvitations).where(eq(adminInvitations.tokenHash, await hashToken(token)));
  return judge(row, now);
}

/**
 * The invitee's POST: creates the admin account with the chosen password (its address proven by the mail) and uses
 * the invitation up, in one transaction; of two submits of the same link exactly one succeeds.
 */
export async function acceptInvitation(app: AppServices, token: string, password: string, clientAddress: string | null, now = new Date()): Promise<{ ok: true; userId: string; role: AdminRole } | { ok: false; reason: InvitationRefusal }> {
  const passwordHash = await hashPassword(password);
  const tokenHash = await hashToken(token);
  try {
    return await app.db.transaction(async (tx) => {
      const [row] = await tx.select().from(adminInvitations).where(eq(adminInvitations.tokenHash, tokenHash)).for("update");
      const check = judge(row, now);
      if (!check.ok) return check;
      const [existing] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = lower(${check.email})`);
      if (existing) return { ok: false, reason: "taken" } as const;
      const [user] = await tx
        .insert(users)
        .values({ email: check.email, passwordHash, role: "admin", adminRole: check.role, emailVerifiedAt: now })
        .returning({ id: users.id });
      await tx.update(adminInvitations).set({ acceptedAt: now, acceptedUserId: user.id }).where(eq(adminInvitations.id, row!.id));
      await adminsChanged(tx, { id: user.id, clientAddress }, { action: "invitation_accepted", invitationId: row!.id, userId: user.id, role: check.role });
      return { ok: true, userId: user.id, role: check.role } as const;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: "taken" };
    throw error;
  }
}
