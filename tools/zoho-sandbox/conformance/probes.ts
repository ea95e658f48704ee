// Behaviour probes for `npm run zoho:conformance`: the same questions asked of a real Zoho Books
// organisation and of the sandbox. Each probe states the sandbox's answer; Zoho answering the same
// agrees, answering more kindly (accepting what the sandbox refuses) is fine, anything else is a
// disagreement to resolve in the sandbox and docs/zoho-facts.md. Only contacts it creates are touched,
// and they are deleted again at the end.
import { describe as said, Session, type Answer, type Target } from "./target";

export type Verdict = "agrees" | "zoho_kinder" | "disagrees" | "skipped";
export type ProbeResult = { probe: string; sandbox: string; zoho: string; verdict: Verdict };

/** dupCreate: how Zoho answered a plain create of a second contact with A's display name. */
type World = { tag: string; a?: string; b?: string; upserted?: string; dupCreate?: string; created: string[] };
type Probe = {
  name: string;
  /** What the sandbox answers. */
  sandbox: string;
  /** Answers that are just as good for the product. */
  equivalent?: string[];
  /** Answers where Zoho accepts what the sandbox refuses (the sandbox stays stricter: fine). */
  kinder?: string[];
  /** null: skipped (the reason is in `skip`). */
  run(s: Session, w: World): Promise<string | null>;
  skip?: string;
};

const names = (a: Answer, w: World) => {
  const ids = ((a.body.contacts as Array<{ contact_id: string }> | undefined) ?? []).map((c) => String(c.contact_id));
  const found = [ids.includes(w.a ?? "-") && "A", ids.includes(w.b ?? "-") && "B"].filter(Boolean);
  return a.status !== 200 ? said(a) : found.length ? found.join(" and ") : "nothing";
};
const list = (s: Session, query: Record<string, string>) => s.books("GET", "/contacts", { query });
const needsA = (w: World) => !w.a;

const person = (first: string, tag: string, email: string, primary: boolean) => ({ first_name: first, last_name: tag, email, is_primary_contact: primary });

export const PROBES: Probe[] = [
  {
    name: "refresh token → access token (scope in the answer?)",
    sandbox: "access token with api_domain, no scope",
    equivalent: ["access token with api_domain, with scope"],
    async run(s) {
      const { body } = await s.token();
      if (typeof body.access_token !== "string") return `no access token: ${JSON.stringify(body).slice(0, 120)}`;
      return `access token with api_domain${body.api_domain ? "" : " MISSING"}, ${"scope" in body ? "with" : "no"} scope`;
    },
  },
  { name: "an invalid access token", sandbox: "HTTP 401 code 57", run: async (s) => said(await s.books("GET", "/contacts", { token: "1000.0000invalid.0000", query: { per_page: "1" } })) },
  {
    // The client refreshes once on any 401 (docs/zoho-facts.md, "Errors"): an expired token must answer 401 too.
    name: "an access token more than an hour old",
    sandbox: "HTTP 401 code 57",
    equivalent: ["HTTP 401 code 14"],
    skip: "set ZOHO_CONFORMANCE_EXPIRED_TOKEN to an access token issued more than an hour ago",
    run: async (s) => (s.target.expiredToken ? said(await s.books("GET", "/contacts", { token: s.target.expiredToken, query: { per_page: "1" } })) : null),
  },
  { name: "another organisation's organization_id", sandbox: "HTTP 400 code 6041", run: async (s) => said(await list(s, { organization_id: "1", per_page: "1" })) },
  { name: "an unknown query parameter", sandbox: "HTTP 400 code 2", kinder: ["HTTP 200 code 0"], run: async (s) => said(await list(s, { cg_unknown: "1", per_page: "1" })) },
  { name: "filter_by outside its documented values", sandbox: "HTTP 400 code 2", run: async (s) => said(await list(s, { filter_by: "Status.Everything", per_page: "1" })) },
  { name: "per_page above 200", sandbox: "HTTP 400 code 2", kinder: ["HTTP 200 code 0"], run: async (s) => said(await list(s, { per_page: "201" })) },
  { name: "create without contact_name", sandbox: "HTTP 400 code 2", run: async (s) => said(await s.books("POST", "/contacts", { body: { company_name: "Cangoods conformance" } })) },
  {
    name: "create a contact with a primary and a secondary person",
    sandbox: "HTTP 201 code 0",
    async run(s, w) {
      const a = await s.books("POST", "/contacts", {
        body: {
          contact_name: `CG Conf ${w.tag}`,
          contact_type: "customer",
          notes: `note${w.tag}`,
          contact_persons: [person("Primary", w.tag, `${w.tag}.primary@example.com`, true), person("Second", w.tag, `${w.tag}.second@example.com`, false)],
        },
      });
      w.a = (a.body.contact as { contact_id?: string } | undefined)?.contact_id;
      if (w.a) w.created.push(w.a);
      return said(a);
    },
  },
  {
    name: "a second contact with the same display name",
    sandbox: "HTTP 201 code 0",
    equivalent: ["HTTP 400 code 1001", "HTTP 400 code 3062"], // the organisation forbids duplicates: the product handles both codes
    async run(s, w) {
      const b = await s.books("POST", "/contacts", { body: { contact_name: `CG Conf ${w.tag}`, contact_type: "customer", contact_persons: [person("Other", w.tag, `${w.tag}.other@example.com`, true)] } });
      w.b = (b.body.contact as { contact_id?: string } | undefined)?.contact_id;
      if (w.b) w.created.push(w.b);
      w.dupCreate = said(b);
      return said(b);
    },
  },
  { name: "email = the primary person's email", sandbox: "A", run: async (s, w) => (needsA(w) ? null : names(await list(s, { email: `${w.tag}.primary@example.com` }), w)) },
  { name: "email = a secondary person's email", sandbox: "nothing", kinder: ["A"], run: async (s, w) => (needsA(w) ? null : names(await list(s, { email: `${w.tag}.second@example.com` }), w)) },
  { name: "email in other letter case", sandbox: "nothing", kinder: ["A"], run: async (s, w) => (needsA(w) ? null : names(await list(s, { email: `${w.tag}.PRIMARY@EXAMPLE.COM` }), w)) },
  { name: "email_contains part of the primary email", sandbox: "A", run: async (s, w) => (needsA(w) ? null : names(await list(s, { email_contains: `${w.tag}.prim` }), w)) },
  { name: "email_startswith the primary email's start", sandbox: "A", run: async (s, w) => (needsA(w) ? null : names(await list(s, { email_startswith: `${w.tag}.pri` }), w)) },
  { name: "contact_name in other letter case", sandbox: "A and B", equivalent: ["A"], run: async (s, w) => (needsA(w) ? null : names(await list(s, { contact_name: `cg conf ${w.tag}`.toUpperCase() }), w)) },
  { name: "contact_name_contains", sandbox: "A and B", equivalent: ["A"], run: async (s, w) => (needsA(w) ? null : names(await list(s, { contact_name_contains: w.tag }), w)) },
  { name: "search_text finds words in notes", sandbox: "A", run: async (s, w) => (needsA(w) ? null : names(await list(s, { search_text: `note${w.tag}` }), w)) },
  { name: "search_text does not search emails", sandbox: "nothing", kinder: ["A"], run: async (s, w) => (needsA(w) ? null : names(await list(s, { search_text: `${w.tag}.second` }), w)) },
  {
    name: "a contact's persons list both emails",
    sandbox: "2 persons, secondary listed",
    async run(s, w) {
      if (needsA(w)) return null;
      const a = await s.books("GET", `/contacts/${w.a}/contactpersons`);
      const persons = (a.body.contact_persons as Array<{ email?: string }> | undefined) ?? [];
      return a.status !== 200 ? said(a) : `${persons.length} persons, secondary ${persons.some((p) => p.email === `${w.tag}.second@example.com`) ? "listed" : "missing"}`;
    },
  },
  {
    name: "pagination with per_page=1",
    sandbox: "page 1: 1 more=true; page 2: 1 more=false",
    equivalent: ["page 1: 1 more=false; page 2: 0 more=false"], // the organisation refused the duplicate name
    async run(s, w) {
      if (needsA(w)) return null;
      const page = async (n: number) => {
        const a = await list(s, { contact_name_contains: w.tag, per_page: "1", page: String(n) });
        return `${((a.body.contacts as unknown[]) ?? []).length} more=${(a.body.page_context as { has_more_page?: boolean } | undefined)?.has_more_page}`;
      };
      return `page 1: ${await page(1)}; page 2: ${await page(2)}`;
    },
  },
  {
    // sort_order is a named addition to list_contacts (contract/derive.ts): the mirror reads contacts newest-changed
    // first down to its watermark. "D ignored" means Zoho lists oldest first: the mirror's incremental read then
    // sees no change until the weekly full pass or a webhook (docs/decisions/036-zoho-mirror.md).
    name: "list_contacts sort_order=D",
    sandbox: "D reverses A",
    async run(s, w) {
      if (needsA(w) || !w.b) return null;
      const order = async (sortOrder: string) => {
        const a = await list(s, { contact_name_contains: w.tag, sort_column: "created_time", sort_order: sortOrder, filter_by: "Status.All" });
        if (a.status !== 200) return said(a);
        return ((a.body.contacts as Array<{ contact_id: string }> | undefined) ?? []).map((c) => String(c.contact_id)).filter((id) => id === w.a || id === w.b).join(",");
      };
      const [asc, desc] = [await order("A"), await order("D")];
      if (!asc.includes(",") || !desc.includes(",")) return `A: ${asc}; D: ${desc}`;
      return desc === asc.split(",").reverse().join(",") ? "D reverses A" : "D ignored (same order as A)";
    },
  },
  {
    // Unverified (docs/zoho-facts.md): the product asks filter_by=Status.All when it looks a customer's email up
    // and sends inactive contacts to review, so it does not depend on this; the sandbox must still answer as Zoho.
    name: "the default list (no filter_by) and inactive contacts",
    sandbox: "default: active only; Status.All: listed",
    async run(s, w) {
      const c = await s.books("POST", "/contacts", {
        body: { contact_name: `CG Conf ${w.tag} Inactive`, contact_type: "customer", contact_persons: [person("Inactive", w.tag, `${w.tag}.inactive@example.com`, true)] },
      });
      const id = (c.body.contact as { contact_id?: string } | undefined)?.contact_id;
      if (!id) return `not created (${said(c)})`;
      w.created.push(id);
      const off = await s.books("POST", `/contacts/${id}/inactive`);
      if (off.status !== 200) return `not marked inactive (${said(off)})`;
      const has = async (query: Record<string, string>) => {
        const a = await list(s, { email: `${w.tag}.inactive@example.com`, ...query });
        if (a.status !== 200) return said(a);
        return ((a.body.contacts as Array<{ contact_id: string }> | undefined) ?? []).some((x) => String(x.contact_id) === id) ? "listed" : "active only";
      };
      const all = await has({ filter_by: "Status.All" });
      return `default: ${await has({})}; Status.All: ${all === "active only" ? "missing" : all}`;
    },
  },
  ...upsertProbes(),
  {
    name: "12 calls at once: every answer a success or a limit code the client knows",
    sandbox: "yes",
    async run(s) {
      const answers = await Promise.all(Array.from({ length: 12 }, () => s.books("GET", "/invoices", { query: { per_page: "1" } })));
      const odd = answers.filter((a) => !(a.status === 200 && a.body.code === 0) && ![1070, 44, 45].includes(a.body.code as number));
      return odd.length ? `no: ${odd.map(said).join(", ")}` : "yes";
    },
  },
];

function upsertProbes(): Probe[] {
  const skip = `set ZOHO_CONFORMANCE_UNIQUE_FIELD to a contact custom field marked "do not allow duplicates"`;
  const put = (s: Session, value: string, name: string, upsert: boolean) =>
    s.books("PUT", "/contacts", {
      headers: { "X-Unique-Identifier-Key": s.target.uniqueField!, "X-Unique-Identifier-Value": value, ...(upsert ? { "X-Upsert": "true" } : {}) },
      body: { contact_name: name, contact_type: "customer" },
    });
  return [
    {
      name: "upsert without X-Upsert for an unknown value creates nothing",
      sandbox: "refused (HTTP 404 code 1002)",
      equivalent: ["refused (HTTP 400 code 1002)"],
      skip,
      async run(s, w) {
        if (!s.target.uniqueField) return null;
        const a = await put(s, `${w.tag}-none`, `CG Conf ${w.tag} Never`, false);
        const id = (a.body.contact as { contact_id?: string } | undefined)?.contact_id;
        if (id) w.created.push(id);
        return id ? `created (${said(a)})` : `refused (${said(a)})`;
      },
    },
    {
      name: "upsert with X-Upsert: true creates, then updates the same contact",
      sandbox: "created, then same contact renamed",
      skip,
      async run(s, w) {
        if (!s.target.uniqueField) return null;
        const first = await put(s, `${w.tag}-u`, `CG Conf ${w.tag} Upsert`, true);
        const id = (first.body.contact as { contact_id?: string } | undefined)?.contact_id;
        if (!id) return `not created (${said(first)})`;
        w.created.push(id);
        w.upserted = id;
        const again = await put(s, `${w.tag}-u`, `CG Conf ${w.tag} Upsert 2`, true);
        const second = again.body.contact as { contact_id?: string; contact_name?: string } | undefined;
        if (second?.contact_id && second.contact_id !== id) w.created.push(second.contact_id);
        return second?.contact_id === id && second.contact_name === `CG Conf ${w.tag} Upsert 2` ? "created, then same contact renamed" : `second answer: ${said(again)}, contact ${second?.contact_id === id ? "same" : "different"}`;
      },
    },
    {
      // Unverified (docs/zoho-facts.md): a replay finds our contact by the value when Zoho writes it back, by the
      // email when it does not; the sandbox plays both (setting upsertWritesUniqueValue), its default must be Zoho's.
      name: "upsert writes the unique value back on the contact it creates",
      sandbox: "value written back",
      skip,
      async run(s, w) {
        if (!s.target.uniqueField || !w.upserted) return null;
        const a = await s.books("GET", `/contacts/${w.upserted}`);
        if (a.status !== 200) return said(a);
        const fields = ((a.body.contact as { custom_fields?: Array<{ value?: unknown }> } | undefined)?.custom_fields ?? []).map((f) => String(f.value));
        return fields.includes(`${w.tag}-u`) ? "value written back" : "value not written back";
      },
    },
    {
      // The product handles a refused duplicate name on the upsert exactly as on the plain create.
      name: "upsert creating a contact under an existing display name",
      sandbox: "the same answer as the plain create",
      skip,
      async run(s, w) {
        if (!s.target.uniqueField || !w.dupCreate) return null;
        const a = await put(s, `${w.tag}-dup`, `CG Conf ${w.tag}`, true);
        const id = (a.body.contact as { contact_id?: string } | undefined)?.contact_id;
        if (id) w.created.push(id);
        return said(a) === w.dupCreate ? "the same answer as the plain create" : `create: ${w.dupCreate}; upsert: ${said(a)}`;
      },
    },
  ];
}

export async function runConformance(target: Target, log: (line: string) => void = () => {}): Promise<{ results: ProbeResult[]; calls: number; cleanup: string }> {
  const session = new Session(target);
  const world: World = { tag: `cg${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`, created: [] };
  const results: ProbeResult[] = [];
  let cleanup = "";
  try {
    for (const probe of PROBES) {
      let observed: string | null;
      try {
        observed = await probe.run(session, world);
      } catch (error) {
        observed = `error: ${(error as Error).message}`;
      }
      const verdict: Verdict =
        observed === null ? "skipped"
        : observed === probe.sandbox || probe.equivalent?.includes(observed) ? "agrees"
        : probe.kinder?.includes(observed) ? "zoho_kinder"
        : "disagrees";
      const result = { probe: probe.name, sandbox: probe.sandbox, zoho: observed ?? `skipped: ${probe.skip ?? "an earlier probe failed"}`, verdict };
      results.push(result);
      log(`${verdict.padEnd(11)} ${probe.name}: ${result.zoho}`);
    }
  } finally {
    cleanup = await deleteCreated(session, world);
  }
  return { results, calls: session.calls, cleanup };
}

async function deleteCreated(s: Session, w: World) {
  const left: string[] = [];
  for (const id of new Set(w.created)) {
    const a = await s.books("DELETE", `/contacts/${id}`).catch(() => ({ status: 0, body: {} }));
    if (a.status !== 200) left.push(id);
  }
  return left.length ? `could NOT delete contacts ${left.join(", ")}: delete them in Zoho Books` : `deleted the ${new Set(w.created).size} contacts it created`;
}
