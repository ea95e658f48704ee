// The budget day: the day Zoho's daily call limit (and so our ledger's shares) is counted in. Zoho does not
// document when its day resets (docs/zoho-facts.md, "Where the docs are silent"); we assume UTC midnight and
// let an operator who learns otherwise set ZOHO_DAY_TIMEZONE (an IANA zone, e.g. the organisation's own
// "Asia/Manila"). One home for "which day is it" and "when does the next one start". Pure.

export const DEFAULT_DAY_TIMEZONE = "UTC";

/** Whether `zone` is a time zone this runtime knows (e.g. "UTC", "Asia/Manila"). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formats = new Map<string, Intl.DateTimeFormat>();
function format(zone: string) {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    formats.set(zone, f);
  }
  return f;
}

/** The wall-clock fields of `at` in `zone`. */
function wallClock(at: Date, zone: string) {
  const parts = Object.fromEntries(format(zone).formatToParts(at).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) };
}

/** How far `zone`'s wall clock is ahead of UTC at `at`, in ms. */
function offsetMs(at: Date, zone: string) {
  const w = wallClock(at, zone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(at.getTime() / 1000) * 1000;
}

/** The budget day `now` falls in, as YYYY-MM-DD (the ledger's key). */
export function budgetDay(now: Date, zone = DEFAULT_DAY_TIMEZONE): string {
  if (zone === "UTC") return now.toISOString().slice(0, 10);
  const w = wallClock(now, zone);
  return `${w.year}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")}`;
}

/** When the budget day `dayOffset` days after the one `now` falls in starts (0 = today's start, 1 = tomorrow's). */
export function budgetDayStart(now: Date, zone = DEFAULT_DAY_TIMEZONE, dayOffset = 0): Date {
  const [y, m, d] = budgetDay(now, zone).split("-").map(Number);
  const wallMidnight = Date.UTC(y, m - 1, d + dayOffset);
  if (zone === "UTC") return new Date(wallMidnight);
  // The instant whose wall clock in `zone` reads that midnight: subtract the zone's offset (twice, so a
  // daylight-saving change between the guess and the answer is taken into account).
  const guess = new Date(wallMidnight - offsetMs(new Date(wallMidnight), zone));
  return new Date(wallMidnight - offsetMs(guess, zone));
}

/** The start of the next budget day. */
export const nextBudgetDayStart = (now: Date, zone = DEFAULT_DAY_TIMEZONE) => budgetDayStart(now, zone, 1);
