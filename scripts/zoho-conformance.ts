// `npm run zoho:conformance`: asks a real Zoho Books organisation (ZOHO_CONFORMANCE_* variables; use a
// test organisation) the same questions the sandbox answers, and prints where they disagree.
// `npm run zoho:conformance -- --sandbox` runs the probes against a fresh local sandbox instead.
import { runConformance } from "@tools/zoho-sandbox/conformance/probes";
import { ENV_NAMES, targetFromEnv, type Target } from "@tools/zoho-sandbox/conformance/target";
import { sandboxTarget } from "@tools/zoho-sandbox/conformance/sandbox-target";

async function main() {
  let target: Target;
  let stop = async () => {};
  if (process.argv.includes("--sandbox")) {
    const local = await sandboxTarget();
    target = local.target;
    stop = local.stop;
  } else {
    const fromEnv = targetFromEnv(process.env);
    if ("missing" in fromEnv) {
      console.error(`Missing ${fromEnv.missing.join(", ")}.\nSet: ${Object.values(ENV_NAMES).join(", ")} (the last two are optional). See README, "Checking the sandbox against Zoho".`);
      return 2;
    }
    target = fromEnv;
  }
  console.log(`Probing ${target.apiDomain} (organisation ${target.organizationId})…`);
  try {
    const { results, calls, cleanup } = await runConformance(target, (l) => console.log(`  ${l}`));
    const disagree = results.filter((r) => r.verdict === "disagrees");
    console.log(`\n${calls} Books calls; ${cleanup}.`);
    console.log(`| probe | sandbox | Zoho | verdict |\n|---|---|---|---|`);
    for (const r of results) console.log(`| ${r.probe} | ${r.sandbox} | ${r.zoho} | ${r.verdict} |`);
    console.log(disagree.length ? `\n${disagree.length} disagreement(s): correct the sandbox and docs/zoho-facts.md before going live.` : "\nZoho and the sandbox agree (or Zoho is kinder) on every probe.");
    return disagree.length || cleanup.startsWith("could NOT") ? 1 : 0;
  } finally {
    await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`conformance run failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
