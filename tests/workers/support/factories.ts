// Test data factories, writing through the production driver (Neon over our proxy).
import { hashPassword } from "~/auth/password.server";
import { openDb } from "~/db/client.server";
import { users } from "~/db/schema";
import { bindings } from "./env";

export function testDb(databaseUrl: string) {
  return openDb(databaseUrl, bindings.TEST_DATABASE_WS_PROXY);
}

let counter = 0;
export async function createUser(
  databaseUrl: string,
  opts: { role?: "admin" | "customer"; email?: string; password?: string } = {},
) {
  const { db, close } = testDb(databaseUrl);
  try {
    const password = opts.password ?? "correct horse battery staple";
    const email = opts.email ?? `user${++counter}-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const [user] = await db
      .insert(users)
      .values({ email, passwordHash: await hashPassword(password), role: opts.role ?? "customer" })
      .returning();
    return { ...user, password };
  } finally {
    await close();
  }
}
