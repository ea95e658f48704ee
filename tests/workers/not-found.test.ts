import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { browser } from "./support/browser";
import { logsOf } from "./support/logs";
import { freshDatabase } from "./support/database";
import { signedIn } from "./support/sign-in";
import { testEnv } from "./support/worker-env";

let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await freshDatabase();
});
afterEach(() => vi.restoreAllMocks());

describe("unknown URLs", () => {
  it("a page that does not exist answers a 404 page and logs no error", async () => {
    let res!: Response;
    const lines = await logsOf(async () => {
      res = await browser(testEnv(databaseUrl).env).get("/no-such-page");
    });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("Page not found");
    expect(lines.filter((l) => l.level === "error")).toEqual([]);
  });

  it("/favicon.ico reaching the app (no static asset in front) logs no error", async () => {
    let res!: Response;
    const lines = await logsOf(async () => {
      res = await browser(testEnv(databaseUrl).env).get("/favicon.ico");
    });
    expect(res.status).toBe(404);
    expect(lines.filter((l) => l.level === "error")).toEqual([]);
  });

  it("pages link the site's icon", async () => {
    const html = await (await browser(testEnv(databaseUrl).env).get("/")).text();
    expect(html).toMatch(/<link rel="icon" href="\/favicon\.svg" type="image\/svg\+xml"/);
  });

  it("a real failure (the database is gone) still logs an error", async () => {
    const admin = await signedIn(testEnv(databaseUrl).env, databaseUrl, "admin");
    const gone = new URL(databaseUrl);
    gone.pathname = "/no_such_database";
    const broken = browser(testEnv(gone.toString()).env);
    for (const [k, v] of admin.jar) broken.jar.set(k, v);
    let res!: Response;
    const lines = await logsOf(async () => {
      res = await broken.get("/admin");
    });
    expect(res.status).toBe(500);
    expect(lines.filter((l) => l.level === "error").length).toBeGreaterThan(0);
  });
});
