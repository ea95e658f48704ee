// Creates the shop's first owner, or resets the password of an owner: npm run admin:create -- --email you@shop.com
// Every other admin is invited by an owner from /admin/admins; so once an owner exists, any other address is
// refused, and so is a customer's (docs/decisions/033). The password is read from ADMIN_PASSWORD or asked for on
// the terminal; DATABASE_URL from the env or .dev.vars.
// --reset-factors also removes the owner's second factors and recovery codes and ends their sessions: the
// only way back for a sole owner who lost every factor (they set a new one up at the next sign-in; decision 034).
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
    const outcome = await db.transaction(async (tx) => {
      // Serialised with the admins page's changes (they lock the owner rows too).
      const owners = await tx.execute<{ id: string; email: string }>(sql`select id, email from ${users} where admin_role = 'owner' order by id for update`);
      const [account] = (await tx.execute<{ id: string; role: string; admin_role: string | null }>(sql`select id, role, admin_role from ${users} where lower(email) = lower(${parsed.data.email}) for update`)).rows;
      if (account && account.admin_role === "owner") {
        await tx.execute(sql`update ${users} set password_hash = ${passwordHash}, email_verified_at = coalesce(email_verified_at, now()) where id = ${account.id}`);
        // A reset: whoever knew the old password is signed out.
        await tx.execute(sql`delete from sessions where user_id = ${account.id}`);
        return { kind: "reset", id: account.id } as const;
      }
      if (owners.rows.length > 0) return { kind: "refused", why: "an owner exists already: invite other admins from /admin/admins, or give an owner's address to reset that owner's password" } as const;
      if (account && account.role !== "admin") return { kind: "refused", why: "this address belongs to a customer account; an admin needs an address of their own" } as const;
      if (account) {
        // No owner at all (only staff): this admin becomes the first owner.
        await tx.execute(sql`update ${users} set password_hash = ${passwordHash}, admin_role = 'owner', email_verified_at = coalesce(email_verified_at, now()) where id = ${account.id}`);
        return { kind: "created", id: account.id } as const;
      }
      const created = await tx.execute<{ id: string }>(sql`
        insert into ${users} (email, password_hash, role, admin_role, email_verified_at) values (${parsed.data.email}, ${passwordHash}, 'admin', 'owner', now()) returning id`);
      return { kind: "created", id: created.rows[0].id } as const;
    });
    if (outcome.kind === "refused") {
      console.error(`admin:create: refused: ${outcome.why}.`);
      process.exitCode = 3;
      return;
    }
    if (argv.includes("--reset-factors")) {
      await resetSecondFactors(db, outcome.id);
      console.log(`Second factors and recovery codes of ${parsed.data.email} removed and sessions ended: a new factor is set up at the next sign-in.`);
    }
    console.log(outcome.kind === "reset" ? `Owner ${parsed.data.email}: password reset, signed out everywhere (id ${outcome.id}).` : `Owner ${parsed.data.email} is ready (id ${outcome.id}).`);
  } finally {
    await close();
  }
}

main().catch((error) => {
  console.error(`admin:create failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
