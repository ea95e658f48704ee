// How the app compares email addresses: trimmed, in any case. (Postgres compares `lower(email)`, and what we
// store is already trimmed.) One helper, so every comparison in code means the same thing.

/** The address as compared: trimmed and lower-cased; "" for none. */
export const normaliseEmail = (email: string | null | undefined) => (email ?? "").trim().toLowerCase();

/** Whether two addresses are the same once trimmed and lower-cased (two missing addresses are not). */
export const sameEmail = (a: string | null | undefined, b: string | null | undefined) => !!a && !!b && normaliseEmail(a) === normaliseEmail(b);
