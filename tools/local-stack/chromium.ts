// The browser the end-to-end tests drive: Debian's chromium. `npm test` installs it on a fresh machine
// (as root, or through passwordless sudo) and otherwise stops with the one command to run.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";

export const DEBIAN_CHROMIUM = "/usr/bin/chromium";
const INSTALL = "apt-get update && apt-get install -y chromium";

export type ChromiumSituation = {
  /** CHROMIUM_PATH when set. */
  configuredPath: string | undefined;
  exists: (path: string) => boolean;
  uid: number;
  /** `sudo -n true` works (sudo installed, no password needed). */
  passwordlessSudo: boolean;
  aptGet: boolean;
};

export type ChromiumPlan =
  | { kind: "ready"; path: string }
  | { kind: "install"; path: string; commands: string[][]; shown: string }
  | { kind: "stop"; line: string };

/** What to do about the browser, decided from the machine's situation (no I/O). */
export function planChromium(s: ChromiumSituation): ChromiumPlan {
  const path = s.configuredPath || DEBIAN_CHROMIUM;
  if (s.exists(path)) return { kind: "ready", path };
  if (path !== DEBIAN_CHROMIUM) {
    // Debian's package installs /usr/bin/chromium, never the custom path someone configured.
    return { kind: "stop", line: `Chromium not found at CHROMIUM_PATH=${path}: point CHROMIUM_PATH at a Chromium binary, or unset it to use Debian's (npm test installs it).` };
  }
  if (!s.aptGet) {
    return { kind: "stop", line: `Chromium not found at ${path} and apt-get is not available: install Chromium, then run CHROMIUM_PATH=/path/to/chromium npm test` };
  }
  const apt = [["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]];
  if (s.uid === 0) return { kind: "install", path, commands: apt, shown: INSTALL };
  if (s.passwordlessSudo) {
    return { kind: "install", path, commands: apt.map((c) => ["sudo", "-n", ...c]), shown: `sudo -n ${INSTALL}` };
  }
  return { kind: "stop", line: `Chromium not found at ${path}: run  sudo apt-get update && sudo apt-get install -y chromium  then npm test again.` };
}

function commandWorks(cmd: string, args: string[]) {
  try {
    execFileSync(cmd, args, { stdio: "ignore", timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

export function currentChromiumSituation(env: NodeJS.ProcessEnv = process.env): ChromiumSituation {
  const uid = process.getuid?.() ?? -1;
  return {
    configuredPath: env.CHROMIUM_PATH,
    exists: (p) => fs.existsSync(p),
    uid,
    // Only asked when it matters: `sudo -n` never prompts, it fails when a password would be needed.
    get passwordlessSudo() {
      return uid !== 0 && commandWorks("sudo", ["-n", "true"]);
    },
    get aptGet() {
      return commandWorks("sh", ["-c", "command -v apt-get"]);
    },
  };
}

export type Runner = (cmd: string, args: string[]) => boolean;

const runVisibly: Runner = (cmd, args) =>
  spawnSync(cmd, args, { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } }).status === 0;

/**
 * Makes sure the browser is there. Returns its path, or the one line to print before stopping.
 * `run` executes a command (the real one prints apt's output).
 */
export function ensureChromium(
  situation: ChromiumSituation = currentChromiumSituation(),
  run: Runner = runVisibly,
  say: (line: string) => void = console.log,
): { ok: true; path: string } | { ok: false; line: string } {
  const plan = planChromium(situation);
  if (plan.kind === "ready") return { ok: true, path: plan.path };
  if (plan.kind === "stop") return { ok: false, line: plan.line };
  say(`Chromium is missing at ${plan.path}: installing Debian's package (${plan.shown})…`);
  const failed = plan.commands.find(([cmd, ...args]) => !run(cmd, args));
  if (failed || !situation.exists(plan.path)) {
    return { ok: false, line: `Installing Chromium failed${failed ? ` (${failed.join(" ")})` : ""}: run  ${plan.shown}  yourself (it needs network access to the Debian mirrors), then npm test again.` };
  }
  say(`Installed Chromium at ${plan.path}.`);
  return { ok: true, path: plan.path };
}
