// npm run admin:code: the code the demo admin's authenticator app would show now (local development only:
// the demo secret is public; a real admin's secret is only in their app).
import { totpCode } from "~/auth/factors/totp";
import { DEMO_ADMIN } from "@tools/local-stack/seed";

console.log(`${totpCode(DEMO_ADMIN.totpSecret)}  (the code for ${DEMO_ADMIN.email}; each works once, a new one every 30 s)`);
