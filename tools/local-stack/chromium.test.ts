import { describe, expect, it } from "vitest";
import { DEBIAN_CHROMIUM, ensureChromium, planChromium, type ChromiumSituation } from "./chromium";

const fresh = (over: Partial<ChromiumSituation> = {}): ChromiumSituation => ({
  configuredPath: undefined,
  exists: () => false,
  uid: 1000,
  passwordlessSudo: false,
  aptGet: true,
  ...over,
});

describe("the browser for the end-to-end tests", () => {
  it.each([
    ["Debian's chromium is there", fresh({ exists: (p) => p === DEBIAN_CHROMIUM }), { kind: "ready", path: DEBIAN_CHROMIUM }],
    ["a configured Chromium is there", fresh({ configuredPath: "/opt/c/chrome", exists: (p) => p === "/opt/c/chrome" }), { kind: "ready", path: "/opt/c/chrome" }],
    ["root installs it with apt-get", fresh({ uid: 0 }), { kind: "install", commands: [["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]] }],
    [
      "a user with passwordless sudo installs it through sudo -n",
      fresh({ passwordlessSudo: true }),
      { kind: "install", commands: [["sudo", "-n", "apt-get", "update", "-qq"], ["sudo", "-n", "apt-get", "install", "-y", "-qq", "chromium"]] },
    ],
  ])("%s", (_name, situation, expected) => {
    expect(planChromium(situation)).toMatchObject(expected);
  });

  it.each([
    ["a user without passwordless sudo is told the exact command", fresh(), /run {2}sudo apt-get update && sudo apt-get install -y chromium {2}then npm test again/],
    ["a machine without apt-get is told to set CHROMIUM_PATH", fresh({ uid: 0, aptGet: false }), /apt-get is not available: install Chromium, then run CHROMIUM_PATH=/],
    ["a missing CHROMIUM_PATH is named (apt cannot put a browser there)", fresh({ uid: 0, configuredPath: "/nope/chrome" }), /CHROMIUM_PATH=\/nope\/chrome/],
  ])("%s, in one line", (_name, situation, line) => {
    const plan = planChromium(situation);
    expect(plan.kind).toBe("stop");
    if (plan.kind === "stop") {
      expect(plan.line).toMatch(line);
      expect(plan.line).not.toContain("\n");
    }
  });

  it("installs, then uses the browser apt put in place", () => {
    const installed = new Set<string>();
    const ran: string[] = [];
    const result = ensureChromium(
      fresh({ uid: 0, exists: (p) => installed.has(p) }),
      (cmd, args) => {
        ran.push([cmd, ...args].join(" "));
        if (args.includes("install")) installed.add(DEBIAN_CHROMIUM);
        return true;
      },
      () => {},
    );
    expect(result).toEqual({ ok: true, path: DEBIAN_CHROMIUM });
    expect(ran).toEqual(["apt-get update -qq", "apt-get install -y -qq chromium"]);
  });

  it("a failed install stops with the command to run by hand", () => {
    const result = ensureChromium(fresh({ uid: 0 }), (_cmd, args) => !args.includes("update"), () => {});
    expect(result).toMatchObject({ ok: false, line: expect.stringMatching(/apt-get update -qq\): run {2}apt-get update && apt-get install -y chromium {2}yourself/) });
  });
});
