// The mirror's reads of Zoho (docs/decisions/036-zoho-mirror.md), every one through the Zoho client (paced,
// counted in the ledger, holding a call slot):
//  - the first full read: Zoho's newest contact change first (its mark), then every contact by creation time and
//    every invoice, 200 a page, each page stored with the next page's number (a crash re-reads one page at most),
//    within the mirror's own daily share, from the hourly maintenance;
//  - incremental reads: contacts newest-changed first down to the watermark (1 call when nothing changed), invoices
//    modified after theirs; hourly (the mirror's share), before a sync decision when the copy is older than
//    MIRROR_FRESH_SECONDS and the sync share has room (the sync share), and before order history when the
//    invoices are older than MIRROR_INVOICES_FRESH_SECONDS (the order-history share). One read at a time (a
//    lease): a job that finds a read under way waits for it and uses its result;
//  - the weekly full pass: everything again, page by page within what the share leaves (deletions, voided and
//    deleted invoices: docs/decisions/037-link-revetting-and-weekly-pass.md).
import type { DbOrTx } from "~/db/client.server";
import type { AppEnv } from "~/env.server";
import { log } from "~/log.server";
import { nextBudgetDayStart } from "~/common/budget-day";
import type { CallSubject } from "../call-log.server";
import { ZohoClient } from "../client.server";
import { contactDoesNotExist, ZohoError } from "../errors";
import { dailyCap, remainingToday, type CallPurpose } from "../ledger.server";
import type { ZohoContact } from "../types";
import {
  contactsByEmail,
  contactsNamedLike,
  contactsNotSeenSince,
  dropInvoicesNotSeenSince,
  markContactDeleted,
  readMirrorState,
  releaseLease,
  takeLease,
  updateMirrorState,
  upsertContacts,
  upsertInvoices,
  type Lease,
  type MirrorState,
} from "./store.server";
import { copyAge, decisionMayRefresh, FULL_READ_PAGES_PER_RUN, scheduledReadsLeft } from "./freshness";
import { mirrorComplete, mirrorOn } from "./state";
import { toZohoTime, zohoTime } from "./time";
import type { MirrorAnswer, MirrorLookup, MirrorSeen } from "./types";

type Deps = { db: DbOrTx; env: AppEnv; fetchImpl?: typeof fetch };

/** How long a read's lease holds (a killed reader's lease ends by itself). */
const LEASE_MS = 60_000;
/** How long a job waits for another's refresh before it uses the copy as it is (a quarter of its lease at most). */
const WAIT_FOR_REFRESH_MS = 2_000;
/**
 * The scheduled handler may run more often than hourly (an operator, the chaos run's sweeper): a copy read more
 * recently than this is not read again by it (decisions and order history refresh what they need themselves).
 */
export const SCHEDULED_READ_INTERVAL_MS = 10 * 60_000;
export { mirrorComplete, mirrorOn, FULL_READ_PAGES_PER_RUN };

const client = (d: Deps, purpose: CallPurpose, subject?: CallSubject) => new ZohoClient({ db: d.db, env: d.env, purpose, fetchImpl: d.fetchImpl, subject });
const timeOf = (c: { last_modified_time?: string | null }) => zohoTime(c.last_modified_time ?? "");

export type FullReadStep = { pages: number; done: boolean; stoppedBy?: string };

/**
 * A read of the whole directory a page at a time (the first full read, the weekly pass): every contact by creation
 * time, then (the pass only) a contact no page carried confirmed by id, then every invoice, 200 a page. Each call's
 * progress is stored before the next (a run that dies resumes at the page it died on); one such read at a time (the
 * "full_read" lease); a Zoho failure is stored as the mirror's last error. What differs between the two:
 */
type PagedRead = {
  /** Where the read stands, as stored: its phase ("contacts", "confirm", "invoices") and page. */
  place: (state: MirrorState) => { phase: string; page: number };
  /** What to store to move it on: the next page of its phase, or the first page of `phase`. */
  moveTo: (next: { phase?: string; page: number }) => Partial<MirrorState>;
  /** Whether this read is under way (else `start` begins it; the calls it makes count as pages). */
  started: (state: MirrorState) => boolean;
  start: (zoho: ZohoClient) => Promise<number>;
  /** The "confirm" phase between contacts and invoices: one contact no page carried read by id; false: none is left. */
  confirmOne?: (zoho: ZohoClient, state: MirrorState) => Promise<boolean>;
  /** What the last invoice page completes. */
  finish: (state: MirrorState) => Promise<void>;
};

/** Runs `read` on from where it stands (`state`), at most `maxPages` calls. */
async function readPages(d: Deps, read: PagedRead, state: MirrorState, maxPages: number): Promise<FullReadStep> {
  if (!(await takeLease(d.db, "full_read", LEASE_MS * 5))) return { pages: 0, done: false, stoppedBy: "another read is under way" };
  const zoho = client(d, "mirror");
  let pages = 0;
  try {
    if (!read.started(state)) {
      pages += await read.start(zoho);
      state = await readMirrorState(d.db);
    }
    while (pages < maxPages) {
      const { phase, page } = read.place(state);
      if (phase === "contacts") {
        const result = await zoho.listDirectory({ sortColumn: "created_time", sortOrder: "A", page });
        await upsertContacts(d.db, result.items);
        await updateMirrorState(d.db, read.moveTo(result.hasMore ? { page: page + 1 } : { phase: read.confirmOne ? "confirm" : "invoices", page: 1 }));
      } else if (phase === "confirm" && read.confirmOne) {
        if (!(await read.confirmOne(zoho, state))) {
          await updateMirrorState(d.db, read.moveTo({ phase: "invoices", page: 1 }));
          state = await readMirrorState(d.db);
          continue; // no call made
        }
      } else {
        const result = await zoho.listInvoicePage(page);
        await upsertInvoices(d.db, result.items);
        if (result.hasMore) await updateMirrorState(d.db, read.moveTo({ page: page + 1 }));
        else {
          await read.finish(state);
          return { pages: pages + 1, done: true };
        }
      }
      pages++;
      state = await readMirrorState(d.db);
    }
    return { pages, done: false, stoppedBy: "pages per run" };
  } catch (error) {
    if (!(error instanceof ZohoError)) throw error;
    await updateMirrorState(d.db, { lastError: error.message });
    return { pages, done: false, stoppedBy: error.message };
  } finally {
    await releaseLease(d.db, "full_read");
  }
}

/** Reads on the first full read, up to `maxPages` pages (its own share permitting). Resumes where the last run stopped. */
export async function fullReadStep(d: Deps, maxPages = FULL_READ_PAGES_PER_RUN): Promise<FullReadStep> {
  const state = await readMirrorState(d.db);
  if (state.fullReadDoneAt) return { pages: 0, done: true };
  return readPages(d, {
    place: (s) => ({ phase: s.fullReadPhase, page: s.fullReadPage }),
    moveTo: ({ phase, page }) => ({ ...(phase && { fullReadPhase: phase }), fullReadPage: page }),
    started: (s) => !!s.fullReadMark,
    async start(zoho) {
      // Zoho's newest change now: what the first incremental read goes back to (changes during the full read included).
      const newest = await zoho.listDirectory({ sortColumn: "last_modified_time", sortOrder: "D", page: 1 });
      await upsertContacts(d.db, newest.items);
      const mark = newest.items.length ? new Date(timeOf(newest.items[0])) : new Date(0);
      await updateMirrorState(d.db, { fullReadMark: mark, fullReadStartedAt: new Date(), fullReadPhase: "contacts", fullReadPage: 1, lastError: null });
      return 1;
    },
    async finish(s) {
      const mark = s.fullReadMark ?? new Date(0);
      await updateMirrorState(d.db, { fullReadDoneAt: new Date(), contactsWatermark: mark, invoicesWatermark: mark, lastError: null });
    },
  }, state, maxPages);
}

/**
 * Contacts changed since the watermark, newest first, down to it: 1 call when nothing changed. Ties at the
 * watermark on the page that reaches it are stored again (idempotent), so a change in the watermark's own second
 * is not lost unless more than a page of contacts changed after it in that same second.
 */
async function readChangedContacts(d: Deps, zoho: ZohoClient, state: MirrorState) {
  const watermark = state.contactsWatermark?.getTime() ?? 0;
  let newest = watermark;
  for (let page = 1; ; page++) {
    const result = await zoho.listDirectory({ sortColumn: "last_modified_time", sortOrder: "D", page });
    const changed = result.items.filter((c) => timeOf(c) >= watermark);
    await upsertContacts(d.db, changed);
    for (const c of changed) newest = Math.max(newest, timeOf(c));
    // The next page only while every contact on this one is strictly newer: the watermark's own second (a bulk
    // import gives hundreds of contacts the same one) is read again on this page only.
    if (!result.hasMore || result.items.some((c) => timeOf(c) <= watermark)) break;
  }
  await updateMirrorState(d.db, { contactsWatermark: new Date(newest), contactsRefreshedAt: new Date() });
}

/** Invoices modified after the watermark (one second back: Zoho's filter is "after"); 1 call when nothing changed. */
async function readChangedInvoices(d: Deps, zoho: ZohoClient, state: MirrorState) {
  const watermark = state.invoicesWatermark?.getTime() ?? 0;
  const after = toZohoTime(new Date(Math.max(0, watermark - 1000)));
  let newest = watermark;
  for (let page = 1; ; page++) {
    const result = await zoho.listInvoicePage(page, after);
    await upsertInvoices(d.db, result.items);
    for (const i of result.items) newest = Math.max(newest, timeOf(i));
    if (!result.hasMore) break;
  }
  await updateMirrorState(d.db, { invoicesWatermark: new Date(newest), invoicesRefreshedAt: new Date() });
}

const REFRESHED_AT = { contacts: "contactsRefreshedAt", invoices: "invoicesRefreshedAt" } as const;

/**
 * One incremental read of `what`, shared: whoever takes the lease reads (with `zoho`); the others wait for its
 * result (up to a few seconds) and use the copy as it then is. Returns whether the copy is now at least as new
 * as `olderThan` asked.
 */
async function sharedRefresh(d: Deps, what: "contacts" | "invoices", zoho: ZohoClient, staleBefore: Date, waitMs = WAIT_FOR_REFRESH_MS): Promise<boolean> {
  const lease: Lease = what;
  if (await takeLease(d.db, lease, LEASE_MS)) {
    try {
      const state = await readMirrorState(d.db);
      if ((state[REFRESHED_AT[what]]?.getTime() ?? 0) >= staleBefore.getTime()) return true; // someone just read
      if (what === "contacts") await readChangedContacts(d, zoho, state);
      else await readChangedInvoices(d, zoho, state);
      return true;
    } finally {
      await releaseLease(d.db, lease);
    }
  }
  const until = Date.now() + waitMs;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 150));
    const state = await readMirrorState(d.db);
    if ((state[REFRESHED_AT[what]]?.getTime() ?? 0) >= staleBefore.getTime()) return true;
  }
  return false;
}

/**
 * The mirror as a sync decision sees it (the work phase's port), for the customer `subject`. A copy older than
 * MIRROR_FRESH_SECONDS is refreshed first when decisionMayRefresh allows (freshness.ts, decision 042): the read is
 * paid from the mirror's share (its calls logged for this customer), never the sync share. When our own limits
 * refuse it (the share, the pace, the calls in flight) the decision uses the copy as it is; a refresh that Zoho
 * fails throws as a live lookup would (the job waits or retries).
 */
export function mirrorLookup(d: Deps, subject: CallSubject): MirrorLookup {
  return {
    async byEmail(email: string): Promise<MirrorAnswer> {
      if (!mirrorOn(d.env)) return { usable: false };
      const state = await readMirrorState(d.db);
      if (!mirrorComplete(state)) return { usable: false };
      const now = new Date();
      let age = copyAge(state.contactsRefreshedAt, now, d.env.MIRROR_FRESH_SECONDS);
      if (!age.fresh && (await mayRefresh(d, state, now))) {
        // A job waiting for another's read must not outwait its own lease (SYNC_LEASE_SECONDS).
        const waitMs = Math.min(WAIT_FOR_REFRESH_MS, (d.env.SYNC_LEASE_SECONDS * 1000) / 4);
        const staleBefore = new Date(now.getTime() - d.env.MIRROR_FRESH_SECONDS * 1000);
        try {
          if (await sharedRefresh(d, "contacts", client(d, "mirror", subject), staleBefore, waitMs)) age = { fresh: true, current: true };
        } catch (error) {
          if (!(error instanceof ZohoError && error.details.local)) throw error;
        }
      }
      const rows = await contactsByEmail(d.db, email);
      return { usable: true, ...age, contacts: rows.map(asZohoContact) };
    },
    async sameEmailReadAfter(email: string, after: Date): Promise<MirrorSeen> {
      if (!mirrorOn(d.env)) return { usable: false };
      const state = await readMirrorState(d.db);
      // A read that ended a lease's length after `after` began after it: it saw every change made before it.
      if (!mirrorComplete(state) || (state.contactsRefreshedAt?.getTime() ?? 0) < after.getTime() + LEASE_MS) return { usable: false };
      return { usable: true, contacts: (await contactsByEmail(d.db, email)).map(asZohoContact) };
    },
    async namedLike(term: string): Promise<ZohoContact[] | null> {
      if (!mirrorOn(d.env) || !mirrorComplete(await readMirrorState(d.db))) return null;
      return (await contactsNamedLike(d.db, term, MAX_NAMED_LIKE)).map(asZohoContact);
    },
  };
}

/** As many contacts as two of Zoho's pages of a name search (find-contact.server.ts reads at most two). */
const MAX_NAMED_LIKE = 400;

/** Whether a decision may refresh the copy now: the sync share has room and the mirror's share has calls to spare. */
async function mayRefresh(d: Deps, state: MirrorState, now: Date): Promise<boolean> {
  const zone = d.env.ZOHO_DAY_TIMEZONE;
  return decisionMayRefresh({
    syncLeft: await remainingToday(d.db, d.env, "sync", now),
    syncCap: dailyCap("sync", d.env),
    mirrorLeft: await remainingToday(d.db, d.env, "mirror", now),
    scheduledReads: scheduledReadsLeft(now, nextBudgetDayStart(now, zone)),
    passPending: passDue(state, now),
  });
}

const asZohoContact = (r: { contactId: string; name: string; company: string; email: string; status: string; contactType: string; lastModifiedTime: Date }): ZohoContact => ({
  contact_id: r.contactId,
  contact_name: r.name,
  company_name: r.company,
  contact_type: r.contactType,
  status: r.status,
  email: r.email,
  phone: null,
  mobile: null,
  first_name: null,
  last_name: null,
  last_modified_time: toZohoTime(r.lastModifiedTime),
});

/**
 * Invoices for order history: null while the mirror is off or its first full read is not done (order history
 * reads Zoho as before). Refreshed first, one call serving every customer, when older than
 * MIRROR_INVOICES_FRESH_SECONDS; a refused or failed refresh leaves the copy as it is (`refreshedAt` says how old).
 */
export async function invoicesReady(d: Deps): Promise<{ refreshedAt: Date } | null> {
  if (!mirrorOn(d.env)) return null;
  let state = await readMirrorState(d.db);
  if (!mirrorComplete(state)) return null;
  const staleBefore = new Date(Date.now() - d.env.MIRROR_INVOICES_FRESH_SECONDS * 1000);
  if ((state.invoicesRefreshedAt?.getTime() ?? 0) < staleBefore.getTime()) {
    try {
      await sharedRefresh(d, "invoices", client(d, "invoice"), staleBefore);
    } catch (error) {
      if (!(error instanceof ZohoError)) throw error;
      log("warn", "the mirror's invoices could not be refreshed; order history shows the copy", { error: error.message });
    }
    state = await readMirrorState(d.db);
  }
  return { refreshedAt: state.invoicesRefreshedAt ?? state.fullReadDoneAt ?? new Date(0) };
}

/** How often the full pass reads everything again (deletions, voided and deleted invoices: no filter shows them). */
export const FULL_PASS_EVERY_MS = 7 * 24 * 3600_000;

export type PassStep = FullReadStep;

/** A weekly pass is under way, or the last one (or the first full read) is a week old. */
const passDue = (state: MirrorState, now: Date) =>
  !!state.passStartedAt || (!!(state.passDoneAt ?? state.fullReadDoneAt) && now.getTime() - (state.passDoneAt ?? state.fullReadDoneAt)!.getTime() >= FULL_PASS_EVERY_MS);

/**
 * The weekly full pass, a step at a time from the scheduled maintenance: once the last one (or the first full read)
 * is a week old, every contact by creation time, then each contact no page carried is read by id (a 404 marks it
 * deleted: pages shift when Zoho deletes an older contact meanwhile, so not being listed alone proves nothing),
 * then every invoice (those not seen leave the copy). At most `maxPages` calls a step, and only what the
 * mirror's share has left beyond the reserve for today's incremental reads: a large directory takes several days.
 * Each call's progress is stored: a step that dies resumes at the page it died on.
 */
export async function weeklyPassStep(d: Deps, maxPages = FULL_READ_PAGES_PER_RUN): Promise<PassStep> {
  const state = await readMirrorState(d.db);
  if (!mirrorComplete(state)) return { pages: 0, done: false, stoppedBy: "the first full read is not done" };
  const now = new Date();
  if (!passDue(state, now)) return { pages: 0, done: false, stoppedBy: "not due" };
  // What the day's remaining scheduled reads need (2 an hour) stays for them, at most half the share.
  const reserve = Math.min(scheduledReadsLeft(now, nextBudgetDayStart(now, d.env.ZOHO_DAY_TIMEZONE)), Math.floor(dailyCap("mirror", d.env) / 2));
  const budget = Math.min(maxPages, (await remainingToday(d.db, d.env, "mirror")) - reserve);
  if (budget <= 0) return { pages: 0, done: false, stoppedBy: "today's share is kept for the incremental reads" };
  return readPages(d, {
    place: (s) => ({ phase: s.passPhase, page: s.passPage }),
    moveTo: ({ phase, page }) => ({ ...(phase && { passPhase: phase }), passPage: page }),
    started: (s) => !!s.passStartedAt,
    async start() {
      await updateMirrorState(d.db, { passStartedAt: new Date(), passPhase: "contacts", passPage: 1 });
      return 0;
    },
    async confirmOne(zoho, s) {
      const [missing] = await contactsNotSeenSince(d.db, s.passStartedAt!, 1);
      if (!missing) return false;
      try {
        await upsertContacts(d.db, [await zoho.getContact(missing)]);
      } catch (error) {
        // Only Zoho's own "does not exist" proves a deletion (an "Invalid URL" or a proxy's bare 404 does not: 043).
        if (!contactDoesNotExist(error)) throw error;
        await markContactDeleted(d.db, missing);
      }
      return true;
    },
    async finish(s) {
      const dropped = await dropInvoicesNotSeenSince(d.db, s.passStartedAt!);
      await updateMirrorState(d.db, { passStartedAt: null, passPhase: "contacts", passPage: 1, passDoneAt: new Date(), lastError: null });
      if (dropped) log("info", "the weekly pass dropped invoices Zoho no longer has", { dropped });
    },
  }, state, budget);
}

/**
 * The hourly maintenance: the first full read on (and, the run it completes, an incremental read of each), or once it is done, one incremental read of each (the mirror's
 * share) and a step of the weekly full pass, unless the copy was read in the last SCHEDULED_READ_INTERVAL_MS.
 */
export async function hourlyMirror(d: Deps) {
  if (!mirrorOn(d.env)) return { skipped: "mirror off" };
  const state = await readMirrorState(d.db);
  if (!mirrorComplete(state)) {
    const fullRead = await fullReadStep(d);
    // A completed copy is brought up to date at once (what changed since its mark): current for decisions from now on,
    // instead of an hour of live looks until the next run.
    return fullRead.done ? { fullRead, ...(await readChangesNow(d)) } : { fullRead };
  }
  const due = (["contacts", "invoices"] as const).filter((what) => (state[REFRESHED_AT[what]]?.getTime() ?? 0) < Date.now() - SCHEDULED_READ_INTERVAL_MS);
  if (!due.length) return { skipped: "read in the last 10 minutes" };
  const read = await readChangesNow(d, due);
  const pass = await weeklyPassStep(d);
  return pass.pages || pass.done ? { ...read, pass } : read;
}

/** An incremental read of each of `what` now, in the mirror's share (the hourly maintenance; tests). */
export async function readChangesNow(d: Deps, what: ReadonlyArray<"contacts" | "invoices"> = ["contacts", "invoices"]) {
  const zoho = client(d, "mirror");
  const result: Record<string, string> = {};
  for (const one of what) {
    try {
      await sharedRefresh(d, one, zoho, new Date());
      result[one] = "read";
    } catch (error) {
      if (!(error instanceof ZohoError)) throw error;
      await updateMirrorState(d.db, { lastError: error.message });
      result[one] = error.message;
    }
  }
  return result;
}

/**
 * A webhook delivery (app/routes/api.zoho.webhook.ts): a hint only, never trusted. The copy is marked stale (the
 * next decision refreshes it while the budget has room) and, when the delivery names a contact, that contact is
 * read from Zoho (the mirror's share): stored as Zoho answers, or marked deleted on a 404. Replays are harmless.
 */
export async function webhookHint(d: Deps, contactId: string | null): Promise<"read" | "deleted" | "marked_stale" | "mirror_off"> {
  if (!mirrorOn(d.env)) return "mirror_off";
  await updateMirrorState(d.db, { contactsRefreshedAt: null });
  if (!contactId) return "marked_stale";
  try {
    const contact = await client(d, "mirror").getContact(contactId);
    await upsertContacts(d.db, [contact]);
    return "read";
  } catch (error) {
    if (!(error instanceof ZohoError)) throw error;
    if (contactDoesNotExist(error)) {
      await markContactDeleted(d.db, contactId);
      return "deleted";
    }
    log("warn", "the webhook's contact could not be read; the copy is marked stale", { error: error.message });
    return "marked_stale";
  }
}
