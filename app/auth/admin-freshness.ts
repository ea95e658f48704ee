// How fresh an admin session is (docs/decisions/040). Pure: the session's own timestamps and the clock passed in.
//   idle    no request for ADMIN_IDLE_MINUTES → the session has ended (sign in again)
//   recent  the second factor was checked within ADMIN_REAUTH_MINUTES → a dangerous action may go ahead

/** What a session remembers about its admin's activity (ISO timestamps). */
export type AdminActivity = { lastActiveAt?: string; factorCheckedAt?: string };

/** How often a request's activity is written down: idleness is measured to the minute, not to the request. */
export const ACTIVITY_WRITE_EVERY_MS = 60_000;

const at = (iso: string | undefined) => (iso ? Date.parse(iso) : Number.NaN);

/** When the admin last did something: the last request written down, or (a session from before) the last factor check. */
export function lastActivity(a: AdminActivity): number | null {
  const t = at(a.lastActiveAt ?? a.factorCheckedAt);
  return Number.isNaN(t) ? null : t;
}

/** True when the admin made no request for more than `idleMinutes`. A session without any timestamp is not idle: its first request starts the count. */
export function isIdle(a: AdminActivity, idleMinutes: number, now: Date): boolean {
  const last = lastActivity(a);
  return last !== null && now.getTime() - last > idleMinutes * 60_000;
}

/** True when the activity should be written down again (never written, or written over a minute ago). */
export function activityIsStale(a: AdminActivity, now: Date): boolean {
  const last = at(a.lastActiveAt);
  return Number.isNaN(last) || now.getTime() - last >= ACTIVITY_WRITE_EVERY_MS;
}

/** True when the second factor was checked within the last `minutes` (0: never recent enough, every dangerous action asks). */
export function factorCheckIsRecent(a: AdminActivity, minutes: number, now: Date): boolean {
  const checked = at(a.factorCheckedAt);
  if (Number.isNaN(checked)) return false;
  const age = now.getTime() - checked;
  return age >= 0 && age < minutes * 60_000;
}
