// Who administers the shop: the list of admins with their role, an owner changing a role or removing an admin
// (which ends their sessions at once: sessions go with the account). The last owner stays: checked here under
// a lock on every owner row for a clear answer, and enforced by the database (trigger users_keep_an_owner,
// drizzle/0019), which also settles two owners removing each other at the same moment.
import { and, asc, eq, sql } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import type { DbOrTx } from "~/db/client.server";
import { users, type AdminRole } from "~/db/schema";
import { recordAdminAction } from "~/audit/audit.server";

export type AdminRow = { id: string; email: string; role: AdminRole; createdAt: Date; lastSignInAt: Date | null };

/** Who acted, and from where (the audit log keeps both). */
export type Actor = { id: string; clientAddress: string | null };

export type AdminsChange =
  | { action: "invited"; invitationId: string; role: AdminRole }
  | { action: "invitation_revoked"; invitationId: string }
  | { action: "invitation_accepted"; invitationId: string; userId: string; role: AdminRole }
  | { action: "role_changed"; userId: string; before: AdminRole; after: AdminRole }
  | { action: "removed"; userId: string; role: AdminRole };

/**
 * The one call site of every change to who administers the shop (invite, revoke, accept, change a role, remove):
 * its audit row, written inside the transaction that makes the change, so neither exists without the other.
 * `actor`: the owner who acted (the invitee when accepting). Ids only, no addresses of people.
 */
export async function adminsChanged(tx: DbOrTx, actor: Actor, change: AdminsChange): Promise<void> {
  const { action, ...ids } = change;
  const before = change.action === "role_changed" ? { role: change.before } : null;
  const after = change.action === "role_changed" ? { userId: change.userId, role: change.after } : ids;
  await recordAdminAction(tx, { adminId: actor.id, action: `admins.${action}`, clientAddress: actor.clientAddress, before, after });
}

/** Every admin, owners first (a shop has a handful: the list is not paged, capped at 500). */
export async function listAdmins(db: DbOrTx): Promise<AdminRow[]> {
  const rows = await db
    .select({ id: users.id, email: users.email, role: users.adminRole, createdAt: users.createdAt, lastSignInAt: users.lastSignInAt })
    .from(users)
    .where(eq(users.role, "admin"))
    .orderBy(sql`${users.adminRole} = 'owner' desc`, asc(sql`lower(${users.email})`))
    .limit(500);
  return rows.map((r) => ({ ...r, role: r.role! }));
}

export type AdminChangeResult =
  | { ok: true; email: string; self: boolean }
  /** not_owner: the acting owner was removed or demoted a moment ago (by another owner). */
  | { ok: false; reason: "not_found" | "last_owner" | "not_owner" };

export const LAST_OWNER_MESSAGE = "The shop needs at least one owner: make another admin an owner first.";

/**
 * Locks every owner row (in id order, so two of these never deadlock) and the target, then changes it. Under the
 * lock a concurrent change that took an owner away has committed, so the count is the real one.
 */
async function withOwnersLocked<T>(
  app: AppServices,
  actor: Actor,
  userId: string,
  fn: (tx: DbOrTx, target: { email: string; role: AdminRole }, owners: number) => Promise<T>,
) {
  return app.db.transaction(async (tx) => {
    const owners = (await tx.execute(sql`select id from users where admin_role = 'owner' order by id for update`)).rows as Array<{ id: string }>;
    if (!owners.some((o) => o.id === actor.id)) return { ok: false, reason: "not_owner" } as const;
    const [target] = await tx
      .select({ email: users.email, role: users.adminRole })
      .from(users)
      .where(and(eq(users.id, userId), eq(users.role, "admin")))
      .for("update");
    if (!target) return { ok: false, reason: "not_found" } as const;
    return fn(tx, { email: target.email, role: target.role! }, owners.length);
  });
}

export async function changeAdminRole(app: AppServices, actor: Actor, userId: string, role: AdminRole): Promise<AdminChangeResult> {
  try {
    return await withOwnersLocked(app, actor, userId, async (tx, target, owners): Promise<AdminChangeResult> => {
      if (target.role === role) return { ok: true, email: target.email, self: userId === actor.id };
      if (target.role === "owner" && owners <= 1) return { ok: false, reason: "last_owner" };
      await tx.update(users).set({ adminRole: role }).where(eq(users.id, userId));
      await adminsChanged(tx, actor, { action: "role_changed", userId, before: target.role, after: role });
      return { ok: true, email: target.email, self: userId === actor.id };
    });
  } catch (error) {
    if (isLastOwnerRefusal(error)) return { ok: false, reason: "last_owner" };
    throw error;
  }
}

/** Removes the admin's account; their sessions, links and mail go with it (foreign keys), so they are signed out at once. */
export async function removeAdmin(app: AppServices, actor: Actor, userId: string): Promise<AdminChangeResult> {
  try {
    return await withOwnersLocked(app, actor, userId, async (tx, target, owners): Promise<AdminChangeResult> => {
      if (target.role === "owner" && owners <= 1) return { ok: false, reason: "last_owner" };
      await tx.delete(users).where(eq(users.id, userId));
      await adminsChanged(tx, actor, { action: "removed", userId, role: target.role });
      return { ok: true, email: target.email, self: userId === actor.id };
    });
  } catch (error) {
    if (isLastOwnerRefusal(error)) return { ok: false, reason: "last_owner" };
    throw error;
  }
}

/** The database's refusal (trigger users_keep_an_owner), however the driver wraps it. */
export function isLastOwnerRefusal(error: unknown): boolean {
  for (let e = error as { constraint?: string; message?: string; cause?: unknown } | undefined, i = 0; e && i < 4; e = e.cause as typeof e, i++) {
    if (e.constraint === "users_keep_an_owner" || e.message?.includes("the last owner cannot be removed")) return true;
  }
  return false;
}
