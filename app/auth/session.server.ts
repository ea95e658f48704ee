import { createCookie, createSessionStorage, type Session } from "@remix-run/cloudflare";
import { eq } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import { sessions, users } from "~/db/schema";

/** What a session holds. Modules above auth add their own keys by augmenting this interface (the registration
 * draft: app/customers/registration-session.ts), so auth imports nothing from them. */
export interface SessionData {
  userId?: string;
  redirectTo?: string;
  zohoOAuthState?: string;
}
export type SessionFlash = { toast: { kind: "success" | "error" | "info"; message: string } };
export type AppSession = Session<SessionData, SessionFlash>;

const MAX_AGE_SECONDS = 60 * 60 * 24 * 14;

// Sessions live in Postgres: signing out or removing a user ends them for real, not just in one browser.
export function sessionStorage(app: AppServices) {
  const cookie = createCookie(app.secureCookies ? "__Host-session" : "session", {
    httpOnly: true,
    sameSite: "lax",
    secure: app.secureCookies,
    path: "/",
    maxAge: MAX_AGE_SECONDS,
    secrets: [app.env.SESSION_SECRET],
  });
  const db = app.db;
  return createSessionStorage<SessionData, SessionFlash>({
    cookie,
    async createData(data, expires) {
      const id = randomId();
      await db.insert(sessions).values({
        id,
        userId: (data.userId as string | undefined) ?? null,
        data,
        expiresAt: expires ?? new Date(Date.now() + MAX_AGE_SECONDS * 1000),
      });
      return id;
    },
    async readData(id) {
      const [row] = await db.select().from(sessions).where(eq(sessions.id, id));
      if (!row || row.expiresAt < new Date()) return null;
      return row.data;
    },
    async updateData(id, data, expires) {
      await db
        .update(sessions)
        .set({
          data,
          userId: (data.userId as string | undefined) ?? null,
          expiresAt: expires ?? new Date(Date.now() + MAX_AGE_SECONDS * 1000),
        })
        .where(eq(sessions.id, id));
    },
    async deleteData(id) {
      await db.delete(sessions).where(eq(sessions.id, id));
    },
  });
}

function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function getSession(request: Request, app: AppServices) {
  return sessionStorage(app).getSession(request.headers.get("Cookie"));
}

export async function commitSession(session: AppSession, app: AppServices) {
  return sessionStorage(app).commitSession(session);
}

export async function destroySession(session: AppSession, app: AppServices) {
  return sessionStorage(app).destroySession(session);
}

export type CurrentUser = { id: string; email: string; role: "admin" | "customer" };

export async function getCurrentUser(request: Request, app: AppServices): Promise<CurrentUser | null> {
  const session = await getSession(request, app);
  const userId = session.get("userId");
  if (!userId) return null;
  const [user] = await app.db
    .select({ id: users.id, email: users.email, role: users.role })
    .from(users)
    .where(eq(users.id, userId));
  return user ? { ...user, role: user.role as CurrentUser["role"] } : null;
}

/** Starts a fresh session for the user (new id: no session fixation). */
export async function signIn(request: Request, app: AppServices, userId: string) {
  const storage = sessionStorage(app);
  const old = await storage.getSession(request.headers.get("Cookie"));
  if (old.id) await storage.destroySession(old);
  const session = await storage.getSession();
  session.set("userId", userId);
  return storage.commitSession(session);
}
