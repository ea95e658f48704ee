// The view kit's rule (README "Architecture"): the pieces every page repeats have one home in app/components.
// A form field goes through `Field` with its Conform field (label, hint and errors tied to the input by id);
// a state-changing form is a `PostForm` (it carries the CSRF field); a submit that names an action is an
// `IntentButton`; a list is a `DataTable` and its pages a `Pager`. Markup that bypasses them is refused here,
// so a new page cannot drift (the text of .tsx files is checked; lint cannot see markup conventions).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..");

function views(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return views(rel);
    return e.name.endsWith(".tsx") ? [rel] : [];
  });
}

/** What may appear only in its component's own file. */
const OWNED = [
  { what: "a label written by hand (use Field with the Conform field)", pattern: /<label\s[^>]*htmlFor=/, home: "app/components/forms.tsx" },
  { what: "a POST form without PostForm (the CSRF field can be forgotten)", pattern: /<Form\s[^>]*method="post"/, home: "app/components/forms.tsx" },
  { what: "an intent button written by hand (use IntentButton)", pattern: /name="intent"/, home: "app/components/forms.tsx" },
  { what: "a table written by hand (use DataTable)", pattern: /<table[\s>]/, home: "app/components/tables.tsx" },
  { what: "a pager written by hand (use Pager)", pattern: /className="pagination"/, home: "app/components/tables.tsx" },
];

export function strays(files: Array<{ file: string; text: string }>) {
  return files.flatMap(({ file, text }) =>
    OWNED.filter((rule) => rule.home !== file && rule.pattern.test(text)).map((rule) => `${file}: ${rule.what}`),
  );
}

describe("the view kit", () => {
  const files = views("app").map((file) => ({ file, text: fs.readFileSync(path.join(root, file), "utf8") }));

  it("checks every view of the app", () => {
    expect(files.map((f) => f.file)).toEqual(expect.arrayContaining(["app/routes/login.tsx", "app/routes/admin.customers._index.tsx", "app/root.tsx"]));
  });

  it("has forms, buttons, tables and pagers only through their components", () => {
    expect(strays(files)).toEqual([]);
  });

  it("refuses each kind of hand-written markup", () => {
    const page = (text: string) => [{ file: "app/routes/x.tsx", text }];
    expect(strays(page('<label htmlFor="q">Q</label>'))).toHaveLength(1);
    expect(strays(page('<Form method="post">'))).toHaveLength(1);
    expect(strays(page('<button type="submit" name="intent" value="retry">'))).toHaveLength(1);
    expect(strays(page("<table>"))).toHaveLength(1);
    expect(strays(page('<nav className="pagination">'))).toHaveLength(1);
    expect(strays(page('<Field label="Q" field={fields.q}>'))).toEqual([]);
  });
});
