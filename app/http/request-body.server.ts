// What a state-changing request must carry before any route reads it: pages take forms (urlencoded, or
// multipart with its boundary); the JSON API under /api/ reads no body. Anything else (no or another
// content type, a multipart body without a boundary or cut short) is the sender's mistake: a 400 here,
// never a TypeError inside a route that answers 500 and logs an error.
const SAFE_METHODS = new Set(["GET", "HEAD"]);

export type BodyVerdict = { ok: true; form: FormData | null } | { ok: false; reason: string };

const isForm = (type: string) => /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i.test(type);

export async function readRequestForm(request: Request, path: string): Promise<BodyVerdict> {
  if (SAFE_METHODS.has(request.method)) return { ok: true, form: null };
  const type = request.headers.get("Content-Type") ?? "";
  if (!isForm(type)) return path.startsWith("/api/") ? { ok: true, form: null } : { ok: false, reason: "a form submission needs a form body" };
  try {
    return { ok: true, form: await request.clone().formData() };
  } catch (error) {
    // The runtime's parser says TypeError for every body it cannot read (no boundary, bad framing).
    if (error instanceof TypeError) return { ok: false, reason: "the form body could not be read" };
    throw error;
  }
}
