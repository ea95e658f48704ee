// A figure is the median of several runs with its range, next to the command that measures it again
// (`npm run bench -- <suite> … --repeat 3`). Suites print their figures as text ("p50 82.7 ms, p95 125.9 ms
// (n=200)"); the runs of one figure are combined number by number: a number that differed between runs
// becomes "median (min–max)", one that did not stays as it was.

export const SUITES = ["registration", "calls", "matching", "list", "claim", "bundle", "burst", "mirror"] as const;
export type Suite = (typeof SUITES)[number];

/** The options each suite takes (its command repeats those that were given). */
export const SUITE_OPTIONS: Record<Suite, string[]> = {
  registration: ["runs"],
  calls: [],
  matching: [],
  list: ["customers"],
  claim: [],
  bundle: [],
  burst: ["count", "minutes", "idle", "concurrency", "per-minute", "daily-limit", "rates", "step-seconds"],
  mirror: ["contacts"],
};

/** The command that measures a suite's figures again, with the options of this run that apply to it. */
export function benchCommand(suite: Suite, given: Record<string, string>, repeat: number): string {
  const options = SUITE_OPTIONS[suite].filter((o) => given[o] !== undefined).map((o) => `--${o} ${given[o]}`);
  return ["npm run bench --", suite, ...options, `--repeat ${repeat}`].join(" ");
}

// 1,099 or 82.7 or 3 (a thousands separator only in groups of three).
const NUMBER = /\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?/g;

export function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function combineNumber(texts: string[]): string {
  if (texts.every((t) => t === texts[0])) return texts[0];
  const values = texts.map((t) => Number(t.replace(/,/g, "")));
  const decimals = Math.max(...texts.map((t) => t.split(".")[1]?.length ?? 0));
  const grouped = texts.some((t) => t.includes(","));
  const format = (n: number) => (grouped ? n.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals }) : n.toFixed(decimals));
  return `${format(median(values))} (${format(Math.min(...values))}–${format(Math.max(...values))})`;
}

/**
 * One figure's runs as one value: each number as the median of the runs with their range in brackets
 * (when they differed). Runs whose text differs beyond the numbers (a different outcome) are listed apart.
 */
export function summarizeRuns(values: string[]): string {
  if (values.length <= 1) return values[0] ?? "";
  const shape = (v: string) => v.replace(NUMBER, "#");
  if (values.some((v) => shape(v) !== shape(values[0]))) return values.map((v, i) => `run ${i + 1}: ${v}`).join(" · ");
  const numbers = values.map((v) => v.match(NUMBER) ?? []);
  let i = 0;
  return values[0].replace(NUMBER, () => {
    const column = numbers.map((n) => n[i]);
    i += 1;
    return combineNumber(column);
  });
}

export type FigureRow = { suite: Suite; name: string; value: string };

/** The runs' figures in the order they were first printed, each summarized over the runs that printed it. */
export function combineRuns(runs: FigureRow[][]): Array<FigureRow & { runs: number }> {
  const byKey = new Map<string, { suite: Suite; name: string; values: string[] }>();
  for (const run of runs)
    for (const row of run) {
      const key = `${row.suite}\u0000${row.name}`;
      const entry = byKey.get(key) ?? { suite: row.suite, name: row.name, values: [] };
      entry.values.push(row.value);
      byKey.set(key, entry);
    }
  return [...byKey.values()].map((e) => ({ suite: e.suite, name: e.name, value: summarizeRuns(e.values), runs: e.values.length }));
}

/** A smoke run's verdict on one suite's figures: it must have printed some, and none may be NaN or undefined. */
export function brokenFigures(rows: FigureRow[]): string | null {
  if (rows.length === 0) return "printed no figures";
  const bad = rows.find((r) => /\bNaN\b|\bundefined\b|Infinity/.test(r.value));
  return bad ? `printed "${bad.name}: ${bad.value}"` : null;
}
