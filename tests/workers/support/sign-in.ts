// A browser signed in as a fresh user of the given role (through the real /login form).
import type { WorkerEnv } from "~/context.server";
import { browser, type Browser } from "./browser";
import { createUser } from "./factories";

export async function signedIn(env: WorkerEnv, databaseUrl: string, role: "admin" | "customer"): Promise<Browser & { email: string }> {
  const user = await createUser(databaseUrl, { role });
  const b = browser(env);
  const res = await b.post("/login", { email: user.email, password: user.password, redirectTo: "" });
  if (res.status !== 302) throw new Error(`sign-in as ${role} failed with ${res.status}`);
  return Object.assign(b, { email: user.email });
}
