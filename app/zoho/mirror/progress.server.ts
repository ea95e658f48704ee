// The mirror card of the admin dashboard: its state, what it holds, today's share and the full read's estimate
// (app/zoho/mirror/progress.ts). Reads the mirror's tables and the ledger; makes no Zoho call.
import { nextBudgetDayStart } from "~/common/budget-day";
import type { DbOrTx } from "~/db/client.server";
import type { AppEnv } from "~/env.server";
import { ledgerHistory } from "../ledger.server";
import { fullReadEta, type MirrorProgress, type MirrorStage } from "./progress";
import { FULL_READ_PAGES_PER_RUN } from "./read.server";
import { mirrorComplete, mirrorOn } from "./state";
import { mirrorCounts, peekMirrorState } from "./store.server";


const iso = (d: Date | null) => d?.toISOString() ?? null;

export async function mirrorProgress(db: DbOrTx, env: AppEnv, now = new Date()): Promise<MirrorProgress> {
  const [peeked, counts, [today]] = await Promise.all([peekMirrorState(db), mirrorCounts(db), ledgerHistory(db, 1, now, env.ZOHO_DAY_TIMEZONE)]);
  // Never read yet: the row the first read creates, as it starts.
  const state = peeked ?? { fullReadMark: null, fullReadPhase: "contacts", fullReadPage: 1, fullReadStartedAt: null, fullReadDoneAt: null, contactsWatermark: null, contactsRefreshedAt: null, invoicesRefreshedAt: null, lastError: null };
  const stage: MirrorStage = !mirrorOn(env) ? "off" : mirrorComplete(state) ? "complete" : "reading";
  const share = env.MIRROR_FULL_READ_DAILY_CALLS;
  const usedToday = today.mirror;
  const runsLeftToday = Math.ceil((nextBudgetDayStart(now, env.ZOHO_DAY_TIMEZONE).getTime() - now.getTime()) / 3_600_000);
  return {
    stage,
    share,
    usedToday,
    contacts: counts.contacts,
    invoices: counts.invoices,
    phase: stage === "reading" && state.fullReadMark ? (state.fullReadPhase === "invoices" ? "invoices" : "contacts") : null,
    nextPage: state.fullReadPage,
    startedAt: iso(state.fullReadStartedAt),
    completedAt: iso(state.fullReadDoneAt),
    contactsRefreshedAt: iso(state.contactsRefreshedAt),
    invoicesRefreshedAt: iso(state.invoicesRefreshedAt),
    lastError: state.lastError,
    // Zoho's list pages give no count (page_context: page, per_page, has_more_page), so no pages-left estimate.
    eta: fullReadEta({ stage, share, usedToday, pagesPerRun: FULL_READ_PAGES_PER_RUN, runsLeftToday, pagesLeft: null }),
  };
}
