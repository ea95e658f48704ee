// The sandbox's Zoho Accounts, limits and faults behave like Zoho where the product depends on it
// (docs/zoho-facts.md). Books' contacts and the contract: books.test.ts.
import { describe, expect, it } from "vitest";
import { CLIENT, REDIRECT, sandboxForTests } from "./test-harness";

const z = sandboxForTests();

async function authorize(extra: Record<string, string> = {}) {
  const params = {
    response_type: "code", client_id: CLIENT.client_id, scope: "ZohoBooks.contacts.READ,ZohoBooks.invoices.READ",
    redirect_uri: REDIRECT, state: "s1", access_type: "offline", prompt: "consent", ...extra,
  };
  const res = await fetch(`${z.url}/oauth/v2/auth`, { ...z.form({ ...params, decision: "accept" }), redirect: "manual" });
  return { status: res.status, location: res.headers.get("Location") ? new URL(res.headers.get("Location")!) : null };
}

async function exchange(code: string, redirect = REDIRECT) {
  const res = await fetch(`${z.url}/oauth/v2/token`, z.form({ grant_type: "authorization_code", ...CLIENT, redirect_uri: redirect, code }));
  return (await res.json()) as Record<string, string | number>;
}

describe("Zoho Accounts", () => {
  it("the consent page lists the scopes; accepting redirects with code, state and the accounts server", async () => {
    const page = await fetch(`${z.url}/oauth/v2/auth?response_type=code&client_id=sandbox-client-id&scope=ZohoBooks.contacts.READ&redirect_uri=${encodeURIComponent(REDIRECT)}&state=xyz`);
    expect(await page.text()).toContain("ZohoBooks.contacts.READ");
    const back = (await authorize()).location!;
    expect(back.searchParams.get("state")).toBe("s1");
    expect(back.searchParams.get("accounts-server")).toBe(z.url);
    const tokens = await exchange(back.searchParams.get("code")!);
    expect(tokens).toMatchObject({ expires_in: 3600, api_domain: z.url, token_type: "Bearer" });
    expect(tokens.refresh_token).toBeTruthy();
    // A code works once.
    expect(await exchange(back.searchParams.get("code")!)).toEqual({ error: "invalid_code" });
  });

  it("token answers carry no scope, like Zoho's", async () => {
    const tokens = await exchange((await authorize()).location!.searchParams.get("code")!);
    expect(tokens).not.toHaveProperty("scope");
    expect((await z.refresh(String(tokens.refresh_token))).body).not.toHaveProperty("scope");
  });

  it("a redirect URI other than the registered one is refused on the consent page and at the token endpoint", async () => {
    expect(await authorize({ redirect_uri: "https://evil.example/admin/zoho/callback" })).toMatchObject({ status: 400, location: null });
    expect((await authorize({ redirect_uri: "http://127.0.0.1:9999/admin/zoho/callback" })).status).toBe(302); // any loopback port is registered
    const code = (await authorize()).location!.searchParams.get("code")!;
    expect(await exchange(code, "http://portal.test/elsewhere")).toEqual({ error: "invalid_redirect_uri" });
  });

  it("issues a refresh token only for offline access with a fresh consent", async () => {
    const tokens = await exchange((await authorize({ prompt: "none" })).location!.searchParams.get("code")!);
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.refresh_token).toBeUndefined();
  });

  it("denying redirects with access_denied; an unknown client gets an error page", async () => {
    const res = await fetch(`${z.url}/oauth/v2/auth`, { ...z.form({ response_type: "code", client_id: CLIENT.client_id, scope: "x", redirect_uri: REDIRECT, state: "s", decision: "deny" }), redirect: "manual" });
    expect(new URL(res.headers.get("Location")!).searchParams.get("error")).toBe("access_denied");
    expect((await fetch(`${z.url}/oauth/v2/auth?response_type=code&client_id=nope&scope=x&redirect_uri=${encodeURIComponent(REDIRECT)}`)).status).toBe(400);
  });

  it("refreshes, throttles after 10 access tokens in 10 minutes, and honours revoke", async () => {
    const { refresh_token } = await z.control.issueTokens();
    for (let i = 0; i < 10; i++) expect((await z.refresh(refresh_token)).body.access_token).toBeTruthy();
    expect(await z.refresh(refresh_token)).toMatchObject({ status: 400, body: { error: "Access Denied" } });
    await z.control.advanceClock(10 * 60_000 + 1);
    expect((await z.refresh(refresh_token)).body.access_token).toBeTruthy();
    await fetch(`${z.url}/oauth/v2/token/revoke?token=${refresh_token}`, { method: "POST" });
    expect((await z.refresh(refresh_token)).body).toEqual({ error: "invalid_code" });
  });

  it("a refresh token has at most 10 live access tokens: the 11th retires the oldest", async () => {
    const first = await z.control.issueTokens();
    const later: string[] = [];
    for (let i = 0; i < 9; i++) later.push(String((await z.refresh(first.refresh_token)).body.access_token));
    expect((await z.books("/contacts", first.access_token)).status).toBe(200); // ten live so far
    later.push(String((await z.refresh(first.refresh_token)).body.access_token));
    expect(await z.json(z.books("/contacts", first.access_token))).toEqual({ status: 401, body: { code: 57, message: "You are not authorized to perform this operation" } });
    expect((await z.books("/contacts", later[0])).status).toBe(200);
  });

  it("a client holds at most 20 refresh tokens: the 21st silently invalidates the oldest", async () => {
    const tokens = [];
    for (let i = 0; i < 21; i++) tokens.push((await z.control.issueTokens()).refresh_token);
    expect((await z.refresh(tokens[0])).body).toEqual({ error: "invalid_code" });
    expect((await z.refresh(tokens[1])).body.access_token).toBeTruthy();
  });

  it("an expired or revoked access token gets HTTP 401 with code 57, as Books answers", async () => {
    const { access_token } = await z.control.issueTokens();
    expect((await z.books("/contacts", access_token)).status).toBe(200);
    await z.control.advanceClock(3600_000);
    expect(await z.json(z.books("/contacts", access_token))).toEqual({ status: 401, body: { code: 57, message: "You are not authorized to perform this operation" } });
    expect((await z.json(z.books("/contacts", "1000.not-a-token"))).body).toMatchObject({ code: 57 });
  });
});

describe("limits and faults", () => {
  it("answers 429 without Retry-After over the per-minute and daily limits", async () => {
    const { access_token: token } = await z.control.issueTokens();
    await z.control.settings({ perMinuteLimit: 2, dailyLimit: 3 });
    await z.books("/contacts", token);
    await z.books("/contacts", token);
    const perMinute = await z.books("/contacts", token);
    expect(perMinute.status).toBe(429);
    expect(perMinute.headers.get("Retry-After")).toBeNull();
    expect(((await perMinute.json()) as { code: number }).code).toBe(44);
    await z.control.advanceClock(61_000);
    await z.books("/contacts", token);
    expect((await z.json<{ code: number }>(z.books("/contacts", token))).body.code).toBe(45);
  });

  it("beyond the configured number of calls in flight for the organisation, HTTP 429 with Zoho's code 1070", async () => {
    const { access_token: token } = await z.control.issueTokens();
    await z.control.settings({ maxConcurrentCalls: 2 });
    await z.control.addFault({ path: "/books/v3/contacts", latencyMs: 300, count: 2 });
    const slow = [z.books("/contacts", token), z.books("/contacts", token)];
    await expect.poll(async () => (await z.control.state()).inFlight).toBe(2);
    const third = await z.json<{ code: number; message: string }>(z.books("/contacts", token));
    expect(third).toMatchObject({ status: 429, body: { code: 1070, message: expect.stringMatching(/maximum number of in process requests/) } });
    expect((await Promise.all(slow)).map((r) => r.status)).toEqual([200, 200]);
    expect((await z.books("/contacts", token)).status).toBe(200); // the slots are free again
  });

  it("the concurrent-call limit follows the plan: 10 at once by default, 5 on the free plan", async () => {
    const { access_token: token } = await z.control.issueTokens();
    const burst = async (n: number) => {
      await z.control.addFault({ path: "/books/v3/contacts", latencyMs: 300, count: n });
      return (await Promise.all(Array.from({ length: n }, () => z.books("/contacts", token)))).map((r) => r.status);
    };
    expect((await burst(10)).filter((s) => s === 429)).toHaveLength(0);
    await z.control.clearFaults();
    expect(await z.control.settings({ plan: "free" })).toMatchObject({ maxConcurrentCalls: 5, dailyLimit: 1000 });
    const statuses = await burst(6);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
  });

  it("injects statuses, failures inside HTTP 200, latency, and faults after the real effect", async () => {
    const { access_token: token } = await z.control.issueTokens();
    await z.control.addFault({ path: "/books/v3/contacts", method: "GET", status: 503, code: 1, count: 1 });
    expect((await z.books("/contacts", token)).status).toBe(503);
    expect((await z.books("/contacts", token)).status).toBe(200); // count used up
    await z.control.addFault({ path: "/books/v3/contacts", method: "GET", body200: true, code: 9999, count: 1 });
    const inside = await z.books("/contacts", token);
    expect(inside.status).toBe(200);
    expect(await inside.json()).toMatchObject({ code: 9999 });
    await z.control.addFault({ path: "/books/v3/contacts", method: "POST", status: 500, afterEffect: true, count: 1 });
    const before = (await z.control.listContacts()).length;
    expect((await z.books("/contacts", token, { method: "POST", body: JSON.stringify({ contact_name: "Ghost" }) })).status).toBe(500);
    expect(await z.control.listContacts()).toHaveLength(before + 1); // Zoho did it; the reply was lost
    await z.control.addFault({ path: "/books/v3/contacts", latencyMs: 200, count: 1 });
    const t0 = Date.now();
    await z.books("/contacts", token);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
    expect((await z.control.calls()).length).toBeGreaterThanOrEqual(5);
  });
});
