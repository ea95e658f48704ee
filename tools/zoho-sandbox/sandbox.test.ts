// The sandbox must behave like Zoho where the product depends on it (docs/zoho-facts.md).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SandboxControl } from "./control-client";
import { startZohoSandbox, type Sandbox } from "./server";

let sandbox: Sandbox;
let control: SandboxControl;
const ORG = "10234695";
beforeAll(async () => {
  sandbox = await startZohoSandbox({ port: 0 });
  control = new SandboxControl(sandbox.url);
});
afterAll(() => sandbox.close());
beforeEach(() => control.reset());

const form = (fields: Record<string, string>) => ({ method: "POST", body: new URLSearchParams(fields) });

async function authorize(extra: Record<string, string> = {}) {
  const params = {
    response_type: "code", client_id: "sandbox-client-id", scope: "ZohoBooks.contacts.READ,ZohoBooks.invoices.READ",
    redirect_uri: "http://portal.test/admin/zoho/callback", state: "s1", access_type: "offline", prompt: "consent", ...extra,
  };
  const res = await fetch(`${sandbox.url}/oauth/v2/auth`, { ...form({ ...params, decision: "accept" }), redirect: "manual" });
  return new URL(res.headers.get("Location")!);
}

async function exchange(code: string) {
  const res = await fetch(`${sandbox.url}/oauth/v2/token`, form({
    grant_type: "authorization_code", client_id: "sandbox-client-id", client_secret: "sandbox-client-secret",
    redirect_uri: "http://portal.test/admin/zoho/callback", code,
  }));
  return (await res.json()) as Record<string, string | number>;
}

async function refresh(token: string) {
  const res = await fetch(`${sandbox.url}/oauth/v2/token`, form({ grant_type: "refresh_token", client_id: "sandbox-client-id", client_secret: "sandbox-client-secret", refresh_token: token }));
  return { status: res.status, body: (await res.json()) as Record<string, string | number> };
}

const books = (path: string, token: string, init: RequestInit = {}) =>
  fetch(`${sandbox.url}/books/v3${path}${path.includes("?") ? "&" : "?"}organization_id=${ORG}`, {
    ...init,
    headers: { Authorization: `Zoho-oauthtoken ${token}`, "Content-Type": "application/json", ...(init.headers as Record<string, string>) },
  });

describe("Zoho Accounts", () => {
  it("the consent page lists the scopes; accepting redirects with code, state and the accounts server", async () => {
    const page = await fetch(`${sandbox.url}/oauth/v2/auth?response_type=code&client_id=sandbox-client-id&scope=ZohoBooks.contacts.READ&redirect_uri=http://portal.test/cb&state=xyz`);
    expect(await page.text()).toContain("ZohoBooks.contacts.READ");
    const back = await authorize();
    expect(back.searchParams.get("state")).toBe("s1");
    expect(back.searchParams.get("accounts-server")).toBe(sandbox.url);
    const tokens = await exchange(back.searchParams.get("code")!);
    expect(tokens).toMatchObject({ expires_in: 3600, api_domain: sandbox.url, token_type: "Bearer" });
    expect(tokens.refresh_token).toBeTruthy();
    // A code works once.
    expect(await exchange(back.searchParams.get("code")!)).toEqual({ error: "invalid_code" });
  });

  it("issues a refresh token only for offline access with a fresh consent", async () => {
    const back = await authorize({ prompt: "none" });
    const tokens = await exchange(back.searchParams.get("code")!);
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.refresh_token).toBeUndefined();
  });

  it("denying redirects with access_denied; an unknown client gets an error page", async () => {
    const res = await fetch(`${sandbox.url}/oauth/v2/auth`, { ...form({ response_type: "code", client_id: "sandbox-client-id", scope: "x", redirect_uri: "http://portal.test/cb", state: "s", decision: "deny" }), redirect: "manual" });
    expect(new URL(res.headers.get("Location")!).searchParams.get("error")).toBe("access_denied");
    expect((await fetch(`${sandbox.url}/oauth/v2/auth?response_type=code&client_id=nope&scope=x&redirect_uri=http://a.b/c`)).status).toBe(400);
  });

  it("refreshes, throttles after 10 access tokens in 10 minutes, and honours revoke", async () => {
    const { refresh_token } = await control.issueTokens();
    for (let i = 0; i < 10; i++) expect((await refresh(refresh_token)).body.access_token).toBeTruthy();
    expect(await refresh(refresh_token)).toMatchObject({ status: 400, body: { error: "Access Denied" } });
    await control.advanceClock(10 * 60_000 + 1);
    expect((await refresh(refresh_token)).body.access_token).toBeTruthy();
    await fetch(`${sandbox.url}/oauth/v2/token/revoke?token=${refresh_token}`, { method: "POST" });
    expect((await refresh(refresh_token)).body).toEqual({ error: "invalid_code" });
  });

  it("a client holds at most 20 refresh tokens: the 21st silently invalidates the oldest", async () => {
    const tokens = [];
    for (let i = 0; i < 21; i++) tokens.push((await control.issueTokens()).refresh_token);
    expect((await refresh(tokens[0])).body).toEqual({ error: "invalid_code" });
    expect((await refresh(tokens[1])).body.access_token).toBeTruthy();
  });

  it("access tokens expire after an hour", async () => {
    const { access_token } = await control.issueTokens();
    expect((await books("/contacts", access_token)).status).toBe(200);
    await control.advanceClock(3600_000);
    expect(await (await books("/contacts", access_token)).json()).toEqual({ code: 14, message: "Invalid OAuth token." });
  });
});

describe("Zoho Books contacts", () => {
  let token: string;
  beforeEach(async () => {
    token = (await control.issueTokens()).access_token;
  });

  it("filters by email partially, including contact persons, and by exact name without normalising spaces", async () => {
    const byEmail = (await (await books("/contacts?email=santos@example.com", token)).json()) as { contacts: Array<{ email: string }> };
    expect(byEmail.contacts.map((c) => c.email).sort()).toEqual(["ben.santos@example.com", "maria.santos@example.com", "santos@example.com"]);
    const person = (await (await books("/contacts?email=carla.lopez@example.com", token)).json()) as { contacts: Array<{ contact_name: string; email: string }> };
    expect(person.contacts).toMatchObject([{ contact_name: "Lopez Trading", email: "office@lopeztrading.example" }]);
    const name = (await (await books("/contacts?contact_name=PEDRO%20GARCIA", token)).json()) as { contacts: unknown[] };
    expect(name.contacts).toHaveLength(1); // "Pedro  Garcia" (two spaces) is not an exact match
  });

  it("paginates with has_more_page and refuses per_page above 200", async () => {
    const page = (await (await books("/contacts?per_page=2&page=1", token)).json()) as { page_context: { has_more_page: boolean } };
    expect(page.page_context.has_more_page).toBe(true);
    expect((await books("/contacts?per_page=201", token)).status).toBe(400);
  });

  it("requires organization_id and the right scope", async () => {
    const noOrg = await fetch(`${sandbox.url}/books/v3/contacts`, { headers: { Authorization: `Zoho-oauthtoken ${token}` } });
    expect(noOrg.status).toBe(400);
    const readOnly = (await control.issueTokens({ scope: "ZohoBooks.contacts.READ" })).access_token;
    const res = await books("/contacts", readOnly, { method: "POST", body: JSON.stringify({ contact_name: "X" }) });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: 57, message: "You are not authorized to perform this operation" });
  });

  it("creates contacts (201) and refuses duplicate names only when the organisation forbids them", async () => {
    const body = JSON.stringify({ contact_name: "Juan Dela Cruz", contact_persons: [{ first_name: "Juan", email: "other@example.com" }] });
    const ok = await books("/contacts", token, { method: "POST", body });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ code: 0, message: "The contact has been added." });
    await control.settings({ allowDuplicateNames: false });
    const dup = await books("/contacts", token, { method: "POST", body });
    expect(dup.status).toBe(400);
    expect(((await dup.json()) as { code: number }).code).toBe(3062);
    const invalid = await books("/contacts", token, { method: "POST", body: JSON.stringify({ contact_name: "" }) });
    expect(((await invalid.json()) as { code: number }).code).toBe(2);
  });

  it("upserts by a unique custom field: creates once, then updates the same contact", async () => {
    const headers = { "X-Unique-Identifier-Key": "cf_portal_customer_id", "X-Unique-Identifier-Value": "abc", "X-Upsert": "true" };
    const first = (await (await books("/contacts", token, { method: "PUT", headers, body: JSON.stringify({ contact_name: "Up Sert" }) })).json()) as { contact: { contact_id: string } };
    const second = (await (await books("/contacts", token, { method: "PUT", headers, body: JSON.stringify({ contact_name: "Up Sert 2" }) })).json()) as { contact: { contact_id: string; contact_name: string } };
    expect(second.contact).toMatchObject({ contact_id: first.contact.contact_id, contact_name: "Up Sert 2" });
    const wrongKey = await books("/contacts", token, { method: "PUT", headers: { ...headers, "X-Unique-Identifier-Key": "cf_other" }, body: "{}" });
    expect(wrongKey.status).toBe(400);
  });

  it("lists a customer's invoices newest first with pagination", async () => {
    const ana = ((await (await books("/contacts?email=ana.reyes@example.com", token)).json()) as { contacts: Array<{ contact_id: string }> }).contacts[0];
    const page = (await (await books(`/invoices?customer_id=${ana.contact_id}&per_page=25`, token)).json()) as { invoices: Array<{ date: string }>; page_context: { has_more_page: boolean } };
    expect(page.invoices).toHaveLength(25);
    expect(page.page_context.has_more_page).toBe(true);
    expect(page.invoices[0].date >= page.invoices[24].date).toBe(true);
  });
});

describe("limits and faults", () => {
  let token: string;
  beforeEach(async () => {
    token = (await control.issueTokens()).access_token;
  });

  it("answers 429 without Retry-After over the per-minute and daily limits", async () => {
    await control.settings({ perMinuteLimit: 2, dailyLimit: 3 });
    await books("/contacts", token);
    await books("/contacts", token);
    const perMinute = await books("/contacts", token);
    expect(perMinute.status).toBe(429);
    expect(perMinute.headers.get("Retry-After")).toBeNull();
    expect(((await perMinute.json()) as { code: number }).code).toBe(44);
    await control.advanceClock(61_000);
    await books("/contacts", token);
    const daily = await books("/contacts", token);
    expect(((await daily.json()) as { code: number }).code).toBe(45);
  });

  it("injects statuses, failures inside HTTP 200, latency, and faults after the real effect", async () => {
    await control.addFault({ path: "/books/v3/contacts", method: "GET", status: 503, code: 1, count: 1 });
    expect((await books("/contacts", token)).status).toBe(503);
    expect((await books("/contacts", token)).status).toBe(200); // count used up
    await control.addFault({ path: "/books/v3/contacts", method: "GET", body200: true, code: 9999, count: 1 });
    const inside = await books("/contacts", token);
    expect(inside.status).toBe(200);
    expect(await inside.json()).toMatchObject({ code: 9999 });
    await control.addFault({ path: "/books/v3/contacts", method: "POST", status: 500, afterEffect: true, count: 1 });
    const before = (await control.listContacts()).length;
    expect((await books("/contacts", token, { method: "POST", body: JSON.stringify({ contact_name: "Ghost" }) })).status).toBe(500);
    expect(await control.listContacts()).toHaveLength(before + 1); // Zoho did it; the reply was lost
    await control.addFault({ path: "/books/v3/contacts", latencyMs: 200, count: 1 });
    const t0 = Date.now();
    await books("/contacts", token);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
    const calls = await control.calls();
    expect(calls.length).toBeGreaterThanOrEqual(5);
  });
});
