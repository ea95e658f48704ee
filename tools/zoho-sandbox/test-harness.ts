// For the sandbox's own unit tests: one sandbox per test file, reset before each test, and every
// successful answer checked against Zoho's response schemas after each test.
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import { SandboxControl } from "./control-client";
import { startZohoSandbox, type Sandbox } from "./server";

export const ORG = "10234695";
export const CLIENT = { client_id: "sandbox-client-id", client_secret: "sandbox-client-secret" };
export const REDIRECT = "http://portal.test/admin/zoho/callback";

export function sandboxForTests() {
  const h = { sandbox: undefined as unknown as Sandbox, control: undefined as unknown as SandboxControl };
  beforeAll(async () => {
    h.sandbox = await startZohoSandbox({ port: 0 });
    h.control = new SandboxControl(h.sandbox.url);
  });
  afterAll(() => h.sandbox.close());
  beforeEach(() => h.control.reset());
  afterEach(async () => {
    expect((await h.control.state()).schemaDrift, "the sandbox's answers fit Zoho's response schemas").toEqual([]);
  });
  const form = (fields: Record<string, string>) => ({ method: "POST", body: new URLSearchParams(fields) });
  return {
    get url() {
      return h.sandbox.url;
    },
    get control() {
      return h.control;
    },
    form,
    /** A Books call with the organisation id and the token. */
    books(path: string, token: string, init: RequestInit = {}) {
      return fetch(`${h.sandbox.url}/books/v3${path}${path.includes("?") ? "&" : "?"}organization_id=${ORG}`, {
        ...init,
        headers: { Authorization: `Zoho-oauthtoken ${token}`, "Content-Type": "application/json", ...(init.headers as Record<string, string>) },
      });
    },
    async json<T = Record<string, unknown>>(res: Response | Promise<Response>) {
      const r = await res;
      return { status: r.status, body: (await r.json()) as T };
    },
    async refresh(token: string) {
      const res = await fetch(`${h.sandbox.url}/oauth/v2/token`, form({ grant_type: "refresh_token", ...CLIENT, refresh_token: token }));
      return { status: res.status, body: (await res.json()) as Record<string, string | number> };
    },
  };
}
