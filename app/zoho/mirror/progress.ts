// How far the mirror's first full read is, and when it may finish (the admin dashboard's mirror card). Pure: the
// card's loader (app/admin/mirror-card.server.ts) reads the state, the counts and today's share and asks this.

/** What the dashboard says of the mirror, in the order an admin asks it: on at all? read yet? fresh? */
export type MirrorStage = "off" | "reading" | "complete";

export type FullReadEta =
  /** Off (MIRROR_FULL_READ_DAILY_CALLS=0) or already complete: nothing to estimate. */
  | { kind: "none" }
  /**
   * How many pages are left is not known (Zoho's list pages say only whether another page follows, never how
   * many there are): only the pace is, `pagesPerDay` pages of 200 a day.
   */
  | { kind: "unknown"; pagesPerDay: number }
  /** Done within today's share and runs (`runs` more hourly runs), or after `days` more budget days at `pagesPerDay`. */
  | { kind: "today"; runs: number; pagesPerDay: number }
  | { kind: "days"; days: number; pagesPerDay: number };

export type EtaInput = {
  stage: MirrorStage;
  /** The mirror's daily share (MIRROR_FULL_READ_DAILY_CALLS) and what it used today. */
  share: number;
  usedToday: number;
  /** Pages one hourly run reads at most (FULL_READ_PAGES_PER_RUN). */
  pagesPerRun: number;
  /** Hourly runs left before the budget day ends (the full read runs from the hourly maintenance only). */
  runsLeftToday: number;
  /** Pages (calls) left to read, when an estimate exists; null when Zoho gave none. */
  pagesLeft: number | null;
};

/** One page a call; 24 hourly runs a day at most, each `pagesPerRun` pages, within the share. */
export function fullReadEta(p: EtaInput): FullReadEta {
  if (p.stage !== "reading") return { kind: "none" };
  const pagesPerDay = Math.max(0, Math.min(p.share, 24 * p.pagesPerRun));
  if (p.pagesLeft === null) return { kind: "unknown", pagesPerDay };
  const left = Math.max(0, p.pagesLeft);
  const today = Math.max(0, Math.min(p.share - p.usedToday, Math.max(0, p.runsLeftToday) * p.pagesPerRun));
  if (left <= today) return { kind: "today", runs: Math.ceil(left / p.pagesPerRun), pagesPerDay };
  if (pagesPerDay === 0) return { kind: "unknown", pagesPerDay };
  return { kind: "days", days: Math.ceil((left - today) / pagesPerDay), pagesPerDay };
}

/** The mirror card's data (app/zoho/mirror/progress.server.ts). */
export type MirrorProgress = {
  stage: MirrorStage;
  share: number;
  usedToday: number;
  contacts: number;
  invoices: number;
  /** While reading: which list and which page is next (200 a page). */
  phase: "contacts" | "invoices" | null;
  nextPage: number;
  startedAt: string | null;
  completedAt: string | null;
  contactsRefreshedAt: string | null;
  invoicesRefreshedAt: string | null;
  lastError: string | null;
  eta: FullReadEta;
};
