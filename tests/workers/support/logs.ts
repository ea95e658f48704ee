// Every line the Worker prints while `run` runs, parsed when it is one of our JSON log lines.
import { vi } from "vitest";

export type LogLine = { level?: string; message?: string; raw: string };

export async function logsOf(run: () => Promise<void>): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  for (const method of ["log", "info", "warn", "error", "debug"] as const)
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      for (const arg of args) {
        const raw = arg instanceof Error ? `${arg.stack ?? arg.message}` : String(arg);
        try {
          lines.push({ ...JSON.parse(raw), raw });
        } catch {
          lines.push({ level: method === "error" ? "error" : method, message: raw, raw });
        }
      }
    });
  try {
    await run();
  } finally {
    vi.restoreAllMocks();
  }
  return lines;
}

/** What an operator would be paged for, or what would leak source paths: ERROR lines and stack traces. */
export function errorsAndStacks(lines: LogLine[]) {
  return lines.filter((l) => l.level === "error" || /\n\s+at\s|\.ts:\d+:\d+|\/work\//.test(l.raw)).map((l) => l.raw);
}
