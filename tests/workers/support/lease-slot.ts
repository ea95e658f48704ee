// Runs before every workerd test file (vitest.config.ts setupFiles): the file's own Zoho sandbox and mail
// catcher, leased for as long as the file runs, since two files run at once.
import { afterAll } from "vitest";
import { leaseSlot, releaseSlot } from "./worker-env";

await leaseSlot();
afterAll(releaseSlot);
