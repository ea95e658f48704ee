// A browser signed in as a fresh user of the given role (through the real /login form). An admin is an owner
// unless `adminRole` says "staff".
import type { WorkerEnv } from "~/context.server";
import { browser, type Browser } from "./browser";
import { createUser } from "./factories";

export async function signedIn(
  env: WorkerEnv,
  databaseUrl: string,
  role: "admin" | "customer",
  adminRole?: "owner" | "staff",
): Promise<Browser & { email: string; userId: string }> {
  const user = await createUser(databaseUrl, { role, adminRole });
  const b = browser(env);
  const res = await b.post("/login", { email: user.email, password: user.password, redirectTo: "" });
  if (res.status !== 302) throw new Error(`sign-in as ${adminRole ?? role} failed with ${res.status}`);
  return Object.assign(b, { email: user.email, userId: user.id });
}
