// The Worker's size as Cloudflare would deploy it (`wrangler deploy --dry-run`, minified): raw and gzip.
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { run } from "@tools/local-stack/processes";

export async function benchBundle(d: { outDir: string; report: (name: string, value: string) => void }) {
  await run("npx", ["wrangler", "deploy", "--dry-run", "--outdir", d.outDir], { quiet: true });
  const main = fs.readdirSync(d.outDir).find((f) => f.endsWith(".js"))!;
  const bytes = fs.readFileSync(path.join(d.outDir, main));
  d.report("Worker bundle (minified)", `${(bytes.length / 1024).toFixed(0)} KiB, ${(gzipSync(bytes).length / 1024).toFixed(0)} KiB gzip`);
}
