// The usual setup of a workerd test file: one fresh, migrated database for the file, and before each test an
// empty sandbox and empty tables, so every test starts from the same world.
import { beforeAll, beforeEach } from "vitest";
import { freshDatabase, resetDatabase } from "./database";
import { sandbox } from "./zoho-sandbox";

/** Registers the hooks; `ready` receives the file's database URL once it exists. */
export function freshWorldPerTest(ready: (databaseUrl: string) => void) {
  let databaseUrl: string;
  beforeAll(async () => {
    databaseUrl = await freshDatabase();
    ready(databaseUrl);
  });
  beforeEach(async () => {
    await sandbox().reset();
    await resetDatabase(databaseUrl);
  });
}
