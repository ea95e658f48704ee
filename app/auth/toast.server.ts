// Toasts: a message for the next page, in its own short-lived signed cookie set by the redirect and taken
// from the next request. (A flash in the session was taken and lost, now and then, by the very request
// that set it: the root loader, which shows toasts, runs in parallel with the loader that sets one.)
import { createCookie, redirect } from "@remix-run/cloudflare";
import type { AppServices } from "~/context.server";
import { readCookie } from "~/common/cookies";

/** A message shown once on the next page (components/toast.tsx renders it). */
export type Toast = { kind: "success" | "error" | "info"; message: string };

const toastCookieName = (app: AppServices) => (app.secureCookies ? "__Host-toast" : "toast");

function toastCookie(app: AppServices) {
  return createCookie(toastCookieName(app), {
    httpOnly: true,
    sameSite: "lax",
    secure: app.secureCookies,
    path: "/",
    maxAge: 120,
    secrets: [app.env.SESSION_SECRET],
  });
}

/** The Set-Cookie header that shows `toast` on the next page (for responses that set other cookies too). */
export function toastSetCookie(app: AppServices, toast: Toast) {
  return toastCookie(app).serialize(toast);
}

/** Redirects and shows a toast on the next page. */
export async function redirectWithToast(_request: Request, app: AppServices, to: string, toast: Toast) {
  return redirect(to, { headers: { "Set-Cookie": await toastSetCookie(app, toast) } });
}

const isToast = (v: unknown): v is Toast =>
  !!v && typeof v === "object" && ["success", "error", "info"].includes((v as Toast).kind) && typeof (v as Toast).message === "string";

/** The toast this request brings (shown once: `clear` is the Set-Cookie that removes it). */
export async function takeToast(request: Request, app: AppServices): Promise<{ toast: Toast | null; clear?: string }> {
  if (readCookie(request, toastCookieName(app)) === undefined) return { toast: null };
  let value: unknown = null;
  try {
    value = await toastCookie(app).parse(request.headers.get("Cookie"));
  } catch (error) {
    // A cookie that does not decode (forged, cut): no toast, and it is cleared like any other.
    if (!(error instanceof DOMException || error instanceof URIError || error instanceof SyntaxError)) throw error;
  }
  return { toast: isToast(value) ? value : null, clear: await toastCookie(app).serialize("", { maxAge: 0 }) };
}
