import { createCookie, createSessionStorage, type Session } from "@remix-run/cloudflare";
import { eq, sql } from "drizzle-orm";
import type { AppServices } from "~/context.server";
import { sessions, users, type AdminRole } from "~/db/schema";
import { setCookieValue } from "~/common/cookies";
import { activityIsStale, isIdle } from "./admin-freshness";

/**
 * What a session holds. Modules above auth add their own keys by augmenting this interface (the registration
 * draft: app/customers/registration-session.ts), so auth imports nothing from them.
 * `registered`: what this browser just registered. The account is not signed in (docs/decisions/022), but the
 * browser that registered may press Confirm on the mailed link. `userId` is null when the address already had
 * an account (nothing was created); the page shown is the same either way.
 */
export interface SessionData {
  userId?: string;
  expiresAt?: string;
  redirectTo?: string;
  zohoOAuthState?: string;
  registered?: { userId: string | null; email: string };
  /** An admin who gave the right password and has yet to give the second factor (/login/factor). */
  pendingAdmin?: { userId: string; redirectTo: string };
  /** When this admin session last checked the second factor (sign-in, setting one up, confirming a dangerous action). */
  factorCheckedAt?: string;
  /** An admin session's last request (written at most once a minute): ADMIN_IDLE_MINUTES later it has ended. */
  lastActiveAt?: string;
  /** The authenticator app being set up on /admin/security: its secret, encrypted, until a code confirms it. */
  totpSetup?: string;
  /** A passkey being created or used (app/auth/factors/passkey.server.ts): its challenge, for 5 minutes, once. */
  passkeyChallenge?: { purpose: "register" | "sign-in"; userId: string; challenge: string; expiresAt: string };
}
// Toasts are not flashed in the session any more: they have their own cookie (toast.server.ts).
export type SessionFlash = { toast: { kind: "success" | "error" | "info"; message: string } };
export type AppSession = Session<SessionData, SessionFlash>;

// Customers stay signed in for 14 days; admins for ADMIN_SESSION_HOURS (8 by default, at most 24), and not
// past ADMIN_IDLE_MINUTES without a request (signedInUser). A session's end is fixed when it starts: later commits (a toast, a registration step) never extend it.
const CUSTOMER_SESSION_SECONDS = 60 * 60 * 24 * 14;

export function sessionCookieName(app: AppServices) {
  return app.secureCookies ? "__Host-session" : "session";
}

function sessionCookie(app: AppServices) {
  return createCookie(sessionCookieName(app), {
    httpOnly: true,
    sameSite: "lax",
    secure: app.secureCookies,
    path: "/",
    maxAge: CUSTOMER_SESSION_SECONDS,
    secrets: [app.env.SESSION_SECRET],
  });
}

// Sessions live in Postgres: signing out or removing a user ends them for real, not just in one browser.
export function sessionStorage(app: AppServices) {
  const db = app.db;
  return createSessionStorage<SessionData, SessionFlash>({
    cookie: sessionCookie(app),
    async createData(data, expires) {
      const id = randomId();
      await db.insert(sessions).values({
        id,
        userId: (data.userId as string | undefined) ?? null,
        data,
        expiresAt: expires ?? new Date(Date.now() + CUSTOMER_SESSION_SECONDS * 1000),
      });
      return id;
    },
    async readData(id) {
      const [row] = await db.select().from(sessions).where(eq(sessions.id, id));
      if (!row || row.expiresAt < new Date()) return null;
      return row.data;
    },
    async updateData(id, data) {
      await db
        .update(sessions)
        .set({ data, userId: (data.userId as string | undefined) ?? null })
        .where(eq(sessions.id, id));
    },
    async deleteData(id) {
      await db.delete(sessions).where(eq(sessions.id, id));
    },
  });
}

/**
 * The session id a request's cookie names (signature checked, database not read): null without a session
 * cookie or with a forged one; `unreadable` when the cookie cannot even be decoded (session=%ZZ), which the
 * Worker then drops so every page answers as if it were absent.
 */
export async function readSessionId(request: Request, app: AppServices): Promise<{ id: string | null; unreadable: boolean }> {
  const header = request.headers.get("Cookie");
  if (!header) return { id: null, unreadable: false };
  return parseSessionCookie(header, app);
}

/** The session id a response leaves the browser with: undefined when it does not touch the cookie, null when it clears it. */
export async function sessionIdSetBy(response: Response, app: AppServices): Promise<string | null | undefined> {
  const name = sessionCookieName(app);
  const value = setCookieValue(response, name);
  if (value === undefined) return undefined;
  return value ? (await parseSessionCookie(`${name}=${value}`, app)).id : null;
}

async function parseSessionCookie(header: string, app: AppServices) {
  try {
    const id: unknown = await sessionCookie(app).parse(header);
    return { id: typeof id === "string" && id ? id : null, unreadable: false };
  } catch (error) {
    // Remix decodes the signature with atob and the value with decodeURIComponent/JSON.parse.
    if (error instanceof DOMException || error instanceof URIError || error instanceof SyntaxError) return { id: null, unreadable: true };
    throw error;
  }
}

function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function getSession(request: Request, app: AppServices) {
  return sessionStorage(app).getSession(request.headers.get("Cookie"));
}

export async function commitSession(session: AppSession, app: AppServices) {
  // The cookie ends with the session: a signed-in session carries its end, fixed at sign-in.
  const expiresAt = session.get("expiresAt");
  const maxAge = expiresAt ? Math.max(0, Math.floor((Date.parse(expiresAt) - Date.now()) / 1000)) : undefined;
  return sessionStorage(app).commitSession(session, maxAge === undefined ? undefined : { maxAge });
}

export async function destroySession(session: AppSession, app: AppServices) {
  return sessionStorage(app).destroySession(session);
}

/** `adminRole`: owner or staff for an admin (null for a customer); app/auth/guards.server.ts reads it. */
export type CurrentUser = { id: string; email: string; role: "admin" | "customer"; adminRole: AdminRole | null };

/** The account this browser registered (not signed in to it), if any. */
export async function registeredHere(request: Request, app: AppServices): Promise<string | null> {
  return (await getSession(request, app)).get("registered")?.userId ?? null;
}

export async function getCurrentUser(request: Request, app: AppServices): Promise<CurrentUser | null> {
  return userOfSession(await getSession(request, app), app);
}

/** The account a session is signed in to, if any. */
export async function userOfSession(session: AppSession, app: AppServices): Promise<CurrentUser | null> {
  return (await signedInUser(session, app)).user;
}

/**
 * The account a session is signed in to, or why there is none: `idle` when an admin session went
 * ADMIN_IDLE_MINUTES without a request (it stays ended: nothing revives it; the sign-in page says why).
 * An admin's request is written down as activity, at most once a minute.
 */
export async function signedInUser(session: AppSession, app: AppServices): Promise<{ user: CurrentUser; ended: null } | { user: null; ended: "idle" | null }> {
  const userId = session.get("userId");
  if (!userId) return { user: null, ended: null };
  const [user] = await app.db
    .select({ id: users.id, email: users.email, role: users.role, adminRole: users.adminRole })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) return { user: null, ended: null };
  if (user.role === "admin") {
    const now = new Date();
    const activity = { lastActiveAt: session.get("lastActiveAt"), factorCheckedAt: session.get("factorCheckedAt") };
    if (isIdle(activity, app.env.ADMIN_IDLE_MINUTES, now)) return { user: null, ended: "idle" };
    if (activityIsStale(activity, now)) await setSessionTime(app, session, "lastActiveAt", now);
  }
  return { user: { ...user, role: user.role as CurrentUser["role"] }, ended: null };
}

/**
 * Writes one timestamp of a session in place (jsonb_set: the rest of the session, which a concurrent request
 * may be changing, is left as it is), and in the session object this request holds.
 */
export async function setSessionTime(app: AppServices, session: AppSession, key: "lastActiveAt" | "factorCheckedAt", at: Date) {
  const iso = at.toISOString();
  session.set(key, iso);
  if (!session.id) return;
  await app.db
    .update(sessions)
    .set({ data: sql`jsonb_set(${sessions.data}, ${`{${key}}`}::text[], to_jsonb(${iso}::text))` })
    .where(eq(sessions.id, session.id));
}

/** How long the second step of an admin's sign-in may wait for the factor. */
const PENDING_FACTOR_SECONDS = 10 * 60;

/**
 * The password was right and the admin has a second factor: a fresh session (new id) that signs nobody in yet,
 * only remembers who is to give the factor, for 10 minutes.
 */
export async function startFactorStep(request: Request, app: AppServices, userId: string, redirectTo: string) {
  const storage = sessionStorage(app);
  const old = await storage.getSession(request.headers.get("Cookie"));
  if (old.id) await storage.destroySession(old);
  const session = await storage.getSession();
  session.set("pendingAdmin", { userId, redirectTo });
  session.set("expiresAt", new Date(Date.now() + PENDING_FACTOR_SECONDS * 1000).toISOString());
  return storage.commitSession(session, { maxAge: PENDING_FACTOR_SECONDS });
}

/** Starts a fresh session for the user (new id: no session fixation), as long as their role allows. */
export async function signIn(request: Request, app: AppServices, userId: string, opts: { factorCheckedAt?: Date } = {}) {
  const storage = sessionStorage(app);
  const old = await storage.getSession(request.headers.get("Cookie"));
  if (old.id) await storage.destroySession(old);
  const [user] = await app.db.select({ role: users.role }).from(users).where(eq(users.id, userId));
  const seconds = user?.role === "admin" ? app.env.ADMIN_SESSION_HOURS * 3600 : CUSTOMER_SESSION_SECONDS;
  const session = await storage.getSession();
  session.set("userId", userId);
  session.set("expiresAt", new Date(Date.now() + seconds * 1000).toISOString());
  if (opts.factorCheckedAt) session.set("factorCheckedAt", opts.factorCheckedAt.toISOString());
  if (user?.role === "admin") session.set("lastActiveAt", new Date().toISOString());
  return storage.commitSession(session, { maxAge: seconds });
}

/**
 * Takes `key` out of a stored session's data and returns what it held: of two requests racing for it, one
 * gets it (the row is locked, the second sees it gone). Null when the session holds nothing under `key`.
 */
export async function takeFromSession<K extends keyof SessionData>(app: AppServices, sessionId: string, key: K): Promise<SessionData[K] | null> {
  const result = await app.db.execute(sql`
    with old as (select id, data -> ${key}::text as value from ${sessions} where id = ${sessionId} and data -> ${key}::text is not null for update)
    update ${sessions} s set data = s.data - ${key}::text from old where s.id = old.id returning old.value as value`);
  const row = result.rows[0] as { value: SessionData[K] } | undefined;
  return row?.value ?? null;
}
