// Whether the mirror is on and whether its first full read is complete: pure, so modules that only read the mirror
// (reconciliation, the dashboard's card, settle) need not import its reads (which reach the Zoho client).
import type { AppEnv } from "~/env.server";

export const mirrorOn = (env: Pick<AppEnv, "MIRROR_FULL_READ_DAILY_CALLS">) => env.MIRROR_FULL_READ_DAILY_CALLS > 0;
export const mirrorComplete = (s: { fullReadDoneAt: Date | null; contactsWatermark: Date | null }) => !!s.fullReadDoneAt && !!s.contactsWatermark;
