// Decision records stay findable: each has a date and a status, and the index lists every one.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const dir = path.resolve(import.meta.dirname, "../docs/decisions");
const records = fs.readdirSync(dir).filter((f) => /^\d{3}-.+\.md$/.test(f)).sort();
const index = fs.readFileSync(path.join(dir, "README.md"), "utf8");

describe("decision records", () => {
  it.each(records)("%s has a date and a status and is in the index", (file) => {
    const text = fs.readFileSync(path.join(dir, file), "utf8");
    expect(text).toMatch(/^- \*\*Date:\*\* \d{4}-\d{2}-\d{2}$/m);
    expect(text).toMatch(/^- \*\*Status:\*\* \S/m);
    expect(index).toContain(`](${file})`);
  });
});
