// What a hostile link or browser can do, in Chromium against the real Worker under wrangler dev: a crafted
// ?redirectTo= never takes a signed-in person off the site (with and without JavaScript); the pages run
// under the Content-Security-Policy without a single violation; static assets carry their headers from
// public/_headers although the Worker never runs for them.
import { expect, test, type Page } from "@playwright/test";
import { DEMO_CUSTOMER } from "@tools/local-stack/seed";
import { signInAsAdmin } from "./admin-sign-in";

const CRAFTED: Array<[string, string]> = [
  ["slash, tab, slash", "%2F%09%2Fevil.example%2Fphish"],
  ["slash, tab, backslash", "%2F%09%5Cevil.example"],
];

async function signInFrom(page: Page, url: string, who: { email: string; password: string }) {
  await page.goto(url);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(`redirects after sign-in, ${javaScriptEnabled ? "with" : "without"} JavaScript`, () => {
    test.use({ javaScriptEnabled });
    for (const [name, redirectTo] of CRAFTED)
      test(`${name} in ?redirectTo= keeps the customer on the site`, async ({ page, baseURL }) => {
        await signInFrom(page, `/login?redirectTo=${redirectTo}`, DEMO_CUSTOMER);
        await expect(page).toHaveURL(`${baseURL}/account`);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        expect(new URL(page.url()).host).toBe(new URL(baseURL!).host);
      });
  });
}

test.describe("the Content-Security-Policy", () => {
  // Violations reach the page as events (and the console); collect both from the first script on.
  async function watchViolations(page: Page) {
    const seen: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
    });
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => {
        const w = window as unknown as { __csp?: string[] };
        (w.__csp ??= []).push(`${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    return async () => [...seen, ...((await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])) as string[])];
  }
  const hydrated = (page: Page) => page.waitForFunction(() => !!(window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized);

  test("pages hydrate and navigate with no violation (Remix's inline scripts carry the nonce)", async ({ page }) => {
    const violations = await watchViolations(page);
    await page.goto("/register");
    await hydrated(page);
    // Client-side validation and a client-side navigation need the app's scripts to run.
    await page.getByLabel("First name").fill("www.evil.example");
    await page.getByLabel("Last name").focus();
    await expect(page.getByText("Your first name looks like a web or email address")).toBeVisible();
    await page.getByRole("link", { name: "Sign in" }).first().click();
    await expect(page).toHaveURL(/\/login$/);
    await signInAsAdmin(page, { from: null });
    await hydrated(page);
    await page.getByRole("link", { name: "Customers" }).first().click();
    await expect(page).toHaveURL(/\/admin\/customers/);
    await page.goto("/no-such-page");
    await hydrated(page);
    expect(await violations()).toEqual([]);
  });

  test("an inline script someone managed to inject would not run", async ({ page }) => {
    const violations = await watchViolations(page);
    await page.goto("/login");
    await hydrated(page);
    await page.evaluate(() => {
      const s = document.createElement("script");
      s.textContent = "window.__injected = true";
      document.body.appendChild(s);
    });
    expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected ?? false)).toBe(false);
    expect((await violations()).some((v) => /script-src/.test(v))).toBe(true);
  });
});

test.describe("headers", () => {
  test("a page, an error and a static asset each carry the protective headers", async ({ request }) => {
    const page = await request.get("/login");
    const error = await request.get("/no-such-page");
    const asset = await request.get("/favicon.svg");
    const script = await request.get(await scriptOf(await page.text()));
    for (const [what, res, status] of [["page", page, 200], ["error", error, 404], ["asset", asset, 200], ["script", script, 200]] as const) {
      expect(res.status(), what).toBe(status);
      const h = res.headers();
      expect(h["x-content-type-options"], what).toBe("nosniff");
      expect(h["x-frame-options"], what).toBe("DENY");
      expect(h["referrer-policy"], what).toBe("same-origin");
      expect(h["content-security-policy"], what).toContain("frame-ancestors 'none'");
      expect(h["content-security-policy"], what).not.toContain("unsafe-inline");
    }
    // The Worker's responses: a nonce and no-store. The assets': from _headers, without the Worker (no request id).
    expect(page.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(page.headers()["cache-control"]).toBe("no-store");
    expect(asset.headers()["x-request-id"]).toBeUndefined();
    expect(script.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
    // The rules file itself is not served.
    expect((await request.get("/_headers")).status()).toBe(404);
  });
});

async function scriptOf(html: string) {
  const src = html.match(/<script[^>]+src="(\/assets\/[^"]+\.js)"/)?.[1] ?? html.match(/import\("(\/assets\/[^"]+\.js)"\)/)?.[1];
  if (!src) throw new Error("no /assets/*.js script on the page");
  return src;
}
