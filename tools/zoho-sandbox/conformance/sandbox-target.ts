// A fresh sandbox as a conformance target: its own refresh token and a unique custom field, and the
// concurrency limit low with slow invoice reads, so the limit probe sees Zoho's 1070 answers.
import { SandboxControl } from "../control-client";
import { startZohoSandbox } from "../server";
import type { Target } from "./target";

export async function sandboxTarget(): Promise<{ target: Target; control: SandboxControl; stop(): Promise<void> }> {
  const sandbox = await startZohoSandbox({ port: 0, seed: "default" });
  const control = new SandboxControl(sandbox.url);
  await control.settings({ maxConcurrentCalls: 4 });
  await control.addFault({ path: "/books/v3/invoices", latencyMs: 150 });
  // An access token from more than an hour ago, for the expired-token probe: issued, then the clock moves on.
  const { access_token: expiredToken } = await control.issueTokens();
  await control.advanceClock(3600_000 + 60_000);
  const { refresh_token } = await control.issueTokens();
  return {
    control,
    target: {
      accountsUrl: sandbox.url,
      apiDomain: sandbox.url,
      clientId: "sandbox-client-id",
      clientSecret: "sandbox-client-secret",
      refreshToken: refresh_token,
      organizationId: "10234695",
      uniqueField: "cf_portal_customer_id",
      expiredToken,
    },
    stop: () => sandbox.close(),
  };
}
