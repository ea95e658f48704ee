// Creates (or resets the password of) an admin account: npm run admin:create -- --email you@shop.com
// The password is read from ADMIN_PASSWORD or asked for on the terminal; DATABASE_URL from the env or .dev.vars.
// --reset-factors also removes the admin's second factors and recovery codes and ends their sessions: the
// only way back for a sole owner who lost every factor (they set a new one up at the next sign-in).
import { sql } from "drizzle-orm";
import readline from "node:readline/promises";
import { z } from "zod";
import { resetSecondFactors } from "~/auth/factors/store.server";
import { hashPassword } from "~/auth/password.server";
import { users } from "~/db/schema";
import { openNodeDb } from "@tools/local-stack/node-db";
import { readDevVars } from "@tools/local-stack/stack";

const Args = z.object({
  email: z.email({ error: "--email must be an email address" }),
  password: z.string().min(12, { error: "the password must be at least 12 characters" }),
  databaseUrl: z.string().url({ error: "DATABASE_URL is missing or not a URL" }),
});

async function main() {
  const argv = process.argv.slice(2);
  const email = argv[argv.indexOf("--email") + 1];
  let password = process.env.ADMIN_PASSWORD;
  if (!password && process.stdin.isTTY) {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
    password = await rl.question("Password (12+ characters): ");
    rl.close();
  }
  const parsed = Args.safeParse({
    email: argv.includes("--email") ? email : undefined,
    password,
    databaseUrl: process.env.DATABASE_URL ?? readDevVars().DATABASE_URL,
  });
  if (!parsed.success) {
    console.error(parsed.error.issues.map((i) => `admin:create: ${i.message}`).join("\n"));
    process.exit(2);
  }
  const { db, close } = openNodeDb(parsed.data.databaseUrl, 1);
  try {
    const passwordHash = await hashPassword(parsed.data.password);
    const result = await db.execute<{ id: string }>(sql`
      insert into ${users} (email, password_hash, role, email_verified_at) values (${parsed.data.email}, ${passwordHash}, 'admin', now())
      on conflict (lower(email)) do update set password_hash = excluded.password_hash, role = 'admin',
        email_verified_at = coalesce(${users.emailVerifiedAt}, now()), remove_unverified_after = null
      returning id`);
    const row = result.rows[0];
    if (argv.includes("--reset-factors")) {
      await resetSecondFactors(db, row.id);
      console.log(`Second factors and recovery codes of ${parsed.data.email} removed and sessions ended: a new factor is set up at the next sign-in.`);
    }
    console.log(`Admin ${parsed.data.email} is ready (id ${row.id}).`);
  } finally {
    await close();
  }
}

main().catch((error) => {
  console.error(`admin:create failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
