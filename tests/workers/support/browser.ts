// A tiny cookie-keeping browser for driving the real Worker's fetch handler inside workerd.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import worker from "@workers/app";
import type { WorkerEnv } from "~/context.server";

export const ORIGIN = "http://portal.test";

/** `address`: the client address Cloudflare would report (CF-Connecting-IP) for every request. */
export function browser(env: WorkerEnv, opts: { address?: string } = {}) {
  const jar = new Map<string, string>();

  function remember(res: Response) {
    for (const header of res.headers.getSetCookie()) {
      const [pair, ...attrs] = header.split(";");
      const [name, ...rest] = pair.split("=");
      const value = rest.join("=");
      const expired = attrs.some((a) => /max-age=0|expires=thu, 01 jan 1970/i.test(a.trim())) || value === "";
      if (expired) jar.delete(name.trim());
      else jar.set(name.trim(), value);
    }
  }

  async function request(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    // A Cookie header given by the test is sent as it is (malformed cookies); otherwise the jar's.
    if (jar.size && !headers.has("Cookie")) headers.set("Cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    headers.set("Host", new URL(ORIGIN).host); // browsers always send it; Remix compares it with Origin
    if (opts.address && !headers.has("CF-Connecting-IP")) headers.set("CF-Connecting-IP", opts.address);
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request(ORIGIN + path, { redirect: "manual", ...init, headers }), env, ctx);
    await waitOnExecutionContext(ctx);
    remember(res);
    return res;
  }

  /** The CSRF token for the current session: read from the jar at each use, since signing in or out changes it. */
  async function csrf() {
    if (!jar.has("csrf")) await request("/");
    return jar.get("csrf")!;
  }

  return {
    jar,
    request,
    csrf,
    get: (path: string) => request(path),
    /** Posts a form the way a browser does, with the CSRF field unless told otherwise. */
    async post(path: string, fields: Record<string, string | string[]>, opts: { csrf?: string | null } = {}) {
      const token = opts.csrf === undefined ? await csrf() : opts.csrf;
      const body = new URLSearchParams();
      if (token !== null) body.set("csrf", token);
      for (const [k, v] of Object.entries(fields)) for (const item of [v].flat()) body.append(k, item);
      return request(path, {
        method: "POST",
        body,
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN },
      });
    },
    /** JSON API call with the CSRF header. */
    async api(method: string, path: string, body?: unknown, opts: { csrf?: string | null } = {}) {
      const token = opts.csrf === undefined ? await csrf() : opts.csrf;
      const headers: Record<string, string> = { Accept: "application/json", Origin: ORIGIN };
      if (token !== null) headers["X-CSRF-Token"] = token;
      if (body !== undefined) headers["Content-Type"] = "application/json";
      return request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    },
  };
}
export type Browser = ReturnType<typeof browser>;
