import { confirmRegistrations, hiddenField, type ConfirmingBrowser } from "./mail-inbox";
// A cookie-keeping HTTP client for the running Worker (benchmarks and the chaos run register real
// customers through the same forms a browser without JavaScript uses).
const restartingWorkers = new Map<string, () => Promise<void>>();

/**
 * While a supervised Worker (stack.ts `startSupervisedWorker`) is being started again, requests to it fail to
 * connect, or `wrangler dev`'s proxy answers 502/503 for it (the app itself never answers either): a person would
 * press again once the page loads, so every HttpSession to `baseUrl` waits for `whenUp` and sends the request once
 * more (six times at most). Only runs that register a supervisor do this.
 */
export function retryRequestsWhileRestarting(baseUrl: string, whenUp: () => Promise<void>) {
  restartingWorkers.set(baseUrl, whenUp);
}

const RESTART_ATTEMPTS = 6;

async function retryWhileRestarting(baseUrl: string, send: () => Promise<Response>): Promise<Response> {
  const whenUp = restartingWorkers.get(baseUrl);
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await send();
      if (!whenUp || attempt >= RESTART_ATTEMPTS || (res.status !== 502 && res.status !== 503)) return res;
      await res.arrayBuffer();
    } catch (error) {
      if (!whenUp || attempt >= RESTART_ATTEMPTS) throw error;
    }
    await new Promise((r) => setTimeout(r, 2000));
    await whenUp();
  }
}

export class HttpSession implements ConfirmingBrowser {
  private jar = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  private remember(res: Response) {
    for (const header of res.headers.getSetCookie()) {
      const [pair, ...attrs] = header.split(";");
      const i = pair.indexOf("=");
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1);
      if (!value || attrs.some((a) => /max-age=0/i.test(a))) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  async request(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    if (this.jar.size) headers.set("Cookie", [...this.jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await retryWhileRestarting(this.baseUrl, () => fetch(this.baseUrl + path, { redirect: "manual", ...init, headers }));
    this.remember(res);
    return res;
  }

  async get(path: string) {
    const res = await this.request(path);
    await res.arrayBuffer();
    return res;
  }

  async post(path: string, fields: Record<string, string>, method: "POST" | "DELETE" = "POST") {
    if (!this.jar.has("csrf")) await this.get("/");
    return this.send(path, { csrf: this.jar.get("csrf") ?? "", ...fields }, method);
  }

  /**
   * Opens a page (a mailed link's, say) and presses the button `intent` on it, with the CSRF field and the token
   * the page's form carries. `ms` is the POST's time: what pressing the button costs.
   */
  async press(path: string, intent: string): Promise<{ status: number; ms: number }> {
    const page = await this.request(path);
    const html = await page.text();
    if (page.status !== 200) return { status: page.status, ms: 0 };
    const t0 = performance.now();
    const res = await this.send(path, { csrf: hiddenField(html, "csrf"), token: hiddenField(html, "token"), intent });
    return { status: res.status, ms: performance.now() - t0 };
  }

  private async send(path: string, fields: Record<string, string>, method: "POST" | "DELETE" = "POST") {
    const body = new URLSearchParams(fields);
    const res = await this.request(path, {
      method,
      body,
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: this.baseUrl },
    });
    await res.arrayBuffer();
    return res;
  }
}

export type Registrant = {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  customerType: "new" | "returning";
};

/**
 * Walks the four registration steps; returns the time of the final submit in ms and the browser (session) that
 * registered: the one that may press Confirm on the mailed link without signing in.
 */
export async function register(baseUrl: string, person: Registrant): Promise<{ status: number; submitMs: number; session: HttpSession }> {
  const s = new HttpSession(baseUrl);
  const steps: Array<Record<string, string>> = [
    { step: "1", intent: "next", firstName: person.firstName, lastName: person.lastName, email: person.email, phone: person.phone },
    { step: "2", intent: "next", customerType: person.customerType },
    { step: "3", intent: "next", deliveryMethod: "pickup" },
  ];
  for (const fields of steps) {
    const res = await s.post("/register", fields);
    if (res.status !== 302) throw new Error(`registration step ${fields.step} for ${person.email} answered ${res.status}`);
  }
  const t0 = performance.now();
  const done = await s.post("/register", { step: "4", intent: "next", password: "bench password 123", confirmPassword: "bench password 123" });
  return { status: done.status, submitMs: performance.now() - t0, session: s };
}

/**
 * Registers, then confirms as the person would: the link from the mail catcher opens in the same browser, which
 * presses Confirm (only then does the customer's Zoho sync start). For benchmarks that measure sync;
 * `submitMs` is still the submit alone.
 */
export async function registerAndConfirm(baseUrl: string, inboxUrl: string, person: Registrant): Promise<{ status: number; submitMs: number }> {
  const result = await register(baseUrl, person);
  if (result.status !== 302) return result;
  const unconfirmed = await confirmRegistrations(inboxUrl, baseUrl, new Map([[person.email, result.session]]));
  if (unconfirmed.length) throw new Error(`no confirmation mail for ${person.email}, or its Confirm was refused`);
  return { status: result.status, submitMs: result.submitMs };
}
