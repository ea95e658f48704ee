// Registration with and without the queue send, measured end to end: the real Worker under `wrangler dev`,
// real Postgres, plain form posts (what a browser without JavaScript sends). Since email verification
// (decision 016) the send happens when the customer confirms, not at the submit; since decision 022 opening
// the mailed link only shows a page and the registrant's browser (the session that registered) presses its
// Confirm button, a POST with the page's CSRF field. So each sample is the submit *and* the Confirm POST, and
// the ratio that says what the send costs is the Confirm's (the submit's ratio is printed too: it should be
// 1.00, nothing differs). The page's GET before the Confirm is not timed.
//
// Two Workers are compared, built from the same code and differing in one thing only: the first has
// the queue producer binding (the confirmation awaits `SYNC_QUEUE.send` and marks the job enqueued), the
// second has no binding (the confirmation commits and answers; the sweep would send the job). Neither
// runs the queue consumer, so background sync work does not compete with the measurement. Runs
// alternate between the two so drift (JIT, autovacuum, a busy machine) hits both alike.
//
// Caveat, printed with the figures: the local queue is miniflare's in-process one; a production send
// to Cloudflare Queues crosses the network and costs more than it does here.
//
// Used by scripts/bench/index.ts (`npm run bench`); also runs alone: `npx tsx scripts/bench/registration.ts`.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { register, type Registrant } from "@tools/local-stack/http-session";
import { linkIn, waitForMail } from "@tools/local-stack/mail-inbox";
import { openNodeDb } from "@tools/local-stack/node-db";
import { jobsSentFor } from "~/sync/jobs/tooling.server";
import { freePorts, ROOT } from "@tools/local-stack/processes";
import { buildApp, localWorkerVars, startWorker, type WorkerProcess } from "@tools/local-stack/stack";
import { startBenchServices } from "./services";

export type BenchRegistrationOptions = {
  /** Measured submits per variant (after the warm-up), interleaved. Default: BENCH_RUNS or 200. */
  runs?: number;
  /** Unmeasured submits per variant first. Default 3. */
  warmup?: number;
  /** A running Worker with the queue producer binding. Both URLs given: no stack is started here. */
  withSendUrl?: string;
  /** The same Worker without the queue producer binding (see writeBenchWranglerConfig). */
  withoutSendUrl?: string;
  /** The Workers' database: when known, the bench checks that only the "with" variant enqueued its jobs. */
  databaseUrl?: string;
  /** The mail catcher both Workers send to (required with the two URLs). */
  inboxUrl?: string;
  /** Skip `remix vite:build` when this module starts its own Workers (the build is already fresh). */
  skipBuild?: boolean;
  /** Progress lines (the result's lines are returned either way). */
  log?: (line: string) => void;
};

export type BenchResult = { name: string; lines: string[] };

/** Nearest-rank quantile. */
export function quantile(values: number[], q: number) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/**
 * 95 % bootstrap interval of quantile(a, q) / quantile(b, q): how far the ratio could move on a rerun of
 * the same conditions. Seeded (mulberry32), so the same samples always print the same interval.
 */
export function bootstrapRatio(a: number[], b: number[], q: number, rounds = 2000, seed = 1): [number, number] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const resample = (v: number[]) => Array.from(v, () => v[Math.floor(random() * v.length)]);
  const ratios = Array.from({ length: rounds }, () => quantile(resample(a), q) / quantile(resample(b), q));
  return [quantile(ratios, 0.025), quantile(ratios, 0.975)];
}

/**
 * A copy of wrangler.toml for the benchmark: no queue consumer (and no cron), and the producer only
 * when `queueSend` is true. Written under .wrangler/ (git-ignored); returns its path.
 */
export function writeBenchWranglerConfig(queueSend: boolean): string {
  let toml = fs.readFileSync(path.join(ROOT, "wrangler.toml"), "utf8");
  const section = (name: string) => new RegExp(`^\\[+${name.replace(".", "\\.")}\\]+[^\\n]*\\n(?:(?!\\[)[^\\n]*\\n?)*`, "gm");
  toml = toml.replace(section("queues.consumers"), "").replace(section("triggers"), "");
  if (!queueSend) toml = toml.replace(section("queues.producers"), "");
  // The copy lives one directory down: keep the paths pointing at the project.
  toml = toml.replace(/^main = "\.\/(.*)"$/m, 'main = "../$1"').replace(/^directory = "\.\/(.*)"$/m, 'directory = "../$1"');
  const has = (s: string) => new RegExp(`^\\[+${s.replace(".", "\\.")}\\]+`, "m").test(toml);
  if (has("queues.consumers") || has("triggers") || has("queues.producers") !== queueSend) {
    throw new Error("writeBenchWranglerConfig: wrangler.toml changed shape; update the section filter");
  }
  // One file per process: wrangler dev reloads when its config file is written, so two benches at once (a smoke
  // run beside a measured run) must not share one.
  const file = path.join(ROOT, ".wrangler", `bench-registration-${queueSend ? "send" : "no-send"}-${process.pid}.toml`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, toml);
  return file;
}

export async function benchRegistration(opts: BenchRegistrationOptions = {}): Promise<BenchResult> {
  const runs = opts.runs ?? Number(process.env.BENCH_RUNS ?? 200);
  const warmup = opts.warmup ?? 3;
  const log = opts.log ?? (() => {});
  if (opts.withSendUrl && opts.withoutSendUrl && opts.inboxUrl)
    return measure({ withSendUrl: opts.withSendUrl, withoutSendUrl: opts.withoutSendUrl, inboxUrl: opts.inboxUrl }, runs, warmup, log, opts.databaseUrl);
  if (opts.withSendUrl || opts.withoutSendUrl) throw new Error("benchRegistration: give both Worker URLs and the inbox, or none");

  log("registration bench: starting Postgres, proxy, sandbox and mail catcher");
  const { stack, tmp, ports: [sendPort, noSendPort], stop: stopServices } = await startBenchServices("registration", 2);
  const workers: WorkerProcess[] = [];
  const configs: string[] = [];
  try {
    if (!opts.skipBuild) {
      log("registration bench: building the Worker");
      await buildApp();
    }
    for (const [port, queueSend] of [[sendPort, true], [noSendPort, false]] as const) {
      const url = `http://127.0.0.1:${port}`;
      const config = writeBenchWranglerConfig(queueSend);
      configs.push(config);
      workers.push(
        await startWorker({
          port,
          vars: localWorkerVars(stack, url, { APP_ENV: "test" }),
          persistTo: path.join(tmp, `wrangler-${port}`),
          config,
          inspectorPort: (await freePorts(1))[0],
        }),
      );
    }
    return await measure({ withSendUrl: workers[0].url, withoutSendUrl: workers[1].url, inboxUrl: stack.mail!.inboxUrl }, runs, warmup, log, stack.databaseUrl);
  } finally {
    for (const w of workers) await w.stop().catch(() => {});
    for (const config of configs) fs.rmSync(config, { force: true });
    await stopServices();
  }
}

type Sample = { submitMs: number; confirmMs: number };

async function measure(
  at: { withSendUrl: string; withoutSendUrl: string; inboxUrl: string },
  runs: number,
  warmup: number,
  log: (line: string) => void,
  databaseUrl?: string,
): Promise<BenchResult> {
  const tag = Date.now().toString(36);
  const person = (variant: string, i: number): Registrant => ({
    firstName: "Bench",
    lastName: `Registrant ${variant}${i}`,
    email: `bench.${tag}.${variant}${i}@bench.example`,
    phone: "0917 123 4567",
    customerType: i % 2 === 0 ? "new" : "returning",
  });
  // The submit, then Confirm on the page of the link in the mail (sent after the submit's response), pressed in
  // the browser that registered.
  const sample = async (url: string, who: Registrant): Promise<Sample> => {
    const { status, submitMs, session } = await register(url, who);
    if (status !== 302) throw new Error(`registration submit for ${who.email} at ${url} answered ${status}, expected 302`);
    const mail = await waitForMail(at.inboxUrl, who.email, /Confirm your email/);
    const confirm = await session.press(linkIn(mail, `${url}/verify-email?token=`).slice(url.length), "confirm");
    if (confirm.status !== 302) throw new Error(`Confirm for ${who.email} answered ${confirm.status}, expected 302`);
    await fetch(`${at.inboxUrl}/api/email/${mail.id}`, { method: "DELETE" });
    return { submitMs, confirmMs: confirm.ms };
  };
  log(`registration bench: ${warmup} warm-up + ${runs} measured registrations (submit + Confirm) per variant, alternating`);
  for (let i = 0; i < warmup; i++) {
    await sample(at.withSendUrl, person("warm-send", i));
    await sample(at.withoutSendUrl, person("warm-nosend", i));
  }
  const withSend: Sample[] = [];
  const withoutSend: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternate which variant goes first, so neither always follows the other.
    if (i % 2 === 0) {
      withSend.push(await sample(at.withSendUrl, person("send", i)));
      withoutSend.push(await sample(at.withoutSendUrl, person("nosend", i)));
    } else {
      withoutSend.push(await sample(at.withoutSendUrl, person("nosend", i)));
      withSend.push(await sample(at.withSendUrl, person("send", i)));
    }
    if ((i + 1) % 50 === 0) log(`registration bench: ${i + 1} of ${runs}`);
  }
  if (databaseUrl) await checkVariants(databaseUrl, tag, runs + warmup);
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const of = (v: Sample[], k: keyof Sample) => v.map((x) => x[k]);
  const total = (v: Sample[]) => v.map((x) => x.submitMs + x.confirmMs);
  const row = (label: string, v: number[]) => `${label}: p50 ${ms(quantile(v, 0.5))}, p95 ${ms(quantile(v, 0.95))} (n=${v.length})`;
  const ratio = (label: string, a: number[], b: number[]) =>
    `${label}, with/without send: p50 ${(quantile(a, 0.5) / quantile(b, 0.5)).toFixed(2)}×, p95 ${(quantile(a, 0.95) / quantile(b, 0.95)).toFixed(2)}× ` +
    `(p95 ratio's 95 % bootstrap interval ${bootstrapRatio(a, b, 0.95).map((r) => r.toFixed(2)).join("–")}×)`;
  const lines = [
    row("Registration submit, with queue binding", of(withSend, "submitMs")),
    row("Registration submit, without queue binding", of(withoutSend, "submitMs")),
    row("Confirm POST, with queue send", of(withSend, "confirmMs")),
    row("Confirm POST, without queue send", of(withoutSend, "confirmMs")),
    ratio("Confirm POST (where the send is)", of(withSend, "confirmMs"), of(withoutSend, "confirmMs")),
    ratio("Submit + Confirm", total(withSend), total(withoutSend)),
    ratio("Submit alone (a control, no send in either)", of(withSend, "submitMs"), of(withoutSend, "submitMs")),
    "(Submit = the final POST: re-validation, password hash, one transaction; no sign-in. Confirm = POST /verify-email from " +
      "the registering browser: throttle, one transaction, sign-in, send + mark enqueued. Local queue is miniflare's in-process queue; " +
      "a production send to Cloudflare Queues costs more.)",
  ];
  return { name: "Registration and confirmation time", lines };
}

/** The comparison means something only if the "with" Worker really sent and the other really did not. */
async function checkVariants(databaseUrl: string, tag: string, expected: number) {
  const { db, close } = openNodeDb(databaseUrl, 1);
  try {
    const rows: Array<{ variant: string; jobs: number; enqueued: number }> = [];
    for (const job of await jobsSentFor(db, `bench.${tag}.%`)) {
      const variant = /\.(warm-)?send\d+@/.test(job.email) ? "send" : "no-send";
      let row = rows.find((r) => r.variant === variant);
      if (!row) rows.push((row = { variant, jobs: 0, enqueued: 0 }));
      row.jobs++;
      if (job.enqueued) row.enqueued++;
    }
    const by = Object.fromEntries(rows.map((r) => [r.variant, r]));
    const ok = by.send?.jobs === expected && by.send.enqueued === expected && by["no-send"]?.jobs === expected && by["no-send"].enqueued === 0;
    if (!ok) throw new Error(`registration bench: the variants did not behave as labelled: ${JSON.stringify(rows)}`);
  } finally {
    await close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchRegistration({ log: (l) => console.log(l) }).then(
    (result) => {
      console.log(`\n${result.name}`);
      for (const line of result.lines) console.log(`  ${line}`);
      process.exit(0);
    },
    (error) => {
      console.error(`registration bench failed: ${error instanceof Error ? error.stack : String(error)}`);
      process.exit(1);
    },
  );
}
