// How well returning customers are found under Zoho's real filters (docs/decisions/013-matching-real-zoho.md):
// a reference set covering every kind in the sandbox seed, its match rate and Zoho calls per lookup.
// Runs inside `npm run bench` and, as a check on the figures, in tests/workers/matching-bench.test.ts.
import { findMatchingContact, type MatchInput } from "~/sync/find-contact.server";
import type { MatchDecision } from "~/sync/matching";
import type { ZohoClient } from "~/zoho/client.server";
import type { SandboxControl } from "@tools/zoho-sandbox/control-client";

type Expected = { kind: "one" | "many" | "none"; contacts: string[] };
export type ReferenceCase = { label: string; customer: MatchInput; expected: Expected };

const one = (name: string): Expected => ({ kind: "one", contacts: [name] });
const many = (...names: string[]): Expected => ({ kind: "many", contacts: names });
const none: Expected = { kind: "none", contacts: [] };

/** Returning customers as they register, against tools/zoho-sandbox/seed.ts; `expected` is the right answer. */
export const REFERENCE_SET: ReferenceCase[] = [
  { label: "primary email", customer: { email: "ana.reyes@example.com", firstName: "Ana", lastName: "Reyes" }, expected: one("Ana Reyes") },
  { label: "primary email typed with capitals and spaces", customer: { email: "  Ben.Santos@Example.COM ", firstName: "Ben", lastName: "Santos" }, expected: one("Ben Santos") },
  { label: "email Zoho stores with capitals", customer: { email: "rosa.lim@example.com", firstName: "Rosa", lastName: "Lim" }, expected: one("Rosa Lim") },
  { label: "email inside other emails (santos@ in maria.santos@)", customer: { email: "santos@example.com", firstName: "Rico", lastName: "Santos" }, expected: one("R. Santos") },
  { label: "secondary person's email, surname in the contact's name", customer: { email: "carla.lopez@example.com", firstName: "Carla", lastName: "Lopez" }, expected: one("Lopez Trading") },
  { label: "secondary person's email, surname not in the contact's name", customer: { email: "nina.cruz@example.com", firstName: "Nina", lastName: "Cruz" }, expected: one("Greenfield Bakery") },
  { label: "two contacts sharing the email", customer: { email: "shared@example.com", firstName: "Liza", lastName: "Mercado" }, expected: many("Shared Inbox Household", "Shared Inbox Office") },
  { label: "name only (new email)", customer: { email: "juan.new@elsewhere.example", firstName: "Juan", lastName: "Dela Cruz" }, expected: one("Juan Dela Cruz") },
  { label: "name only, two contacts differing in case and spaces", customer: { email: "pedro.g@new.example", firstName: "Pedro", lastName: "Garcia" }, expected: many("Pedro  Garcia", "pedro garcia") },
  // Found by email whatever Zoho's default list holds; the link policy sends an inactive contact to review.
  { label: "inactive contact", customer: { email: "ines.villa@example.com", firstName: "Ines", lastName: "Villa" }, expected: one("Inactive Ines") },
  { label: "not in Zoho", customer: { email: "nobody@nowhere.example", firstName: "Nobody", lastName: "Knownhere" }, expected: none },
];

export type CaseResult = { label: string; correct: boolean; got: string; calls: number };

function namesOf(d: MatchDecision): string[] {
  if (d.kind === "one") return [d.contact.contact_name];
  if (d.kind === "many") return d.candidates.map((c) => c.contactName).sort();
  return [];
}

export async function benchMatching(deps: { sandbox: SandboxControl; connect(): Promise<void>; client(): ZohoClient }) {
  await deps.sandbox.reset("default");
  await deps.connect();
  const results: CaseResult[] = [];
  for (const c of REFERENCE_SET) {
    const client = deps.client();
    const decision = await findMatchingContact(client, c.customer);
    const got = namesOf(decision);
    const correct = decision.kind === c.expected.kind && JSON.stringify(got) === JSON.stringify([...c.expected.contacts].sort());
    results.push({ label: c.label, correct, got: `${decision.kind}${got.length ? ` (${got.join(", ")})` : ""}`, calls: client.calls });
  }
  const correct = results.filter((r) => r.correct).length;
  const calls = results.map((r) => r.calls);
  const matched = results.filter((r, i) => r.correct && REFERENCE_SET[i].expected.kind === "one");
  const rows: Array<[string, string]> = [
    ["Returning customers found right (reference set)", `${correct} of ${results.length} (${Math.round((100 * correct) / results.length)} %)`],
    ["Zoho calls per lookup", `mean ${(calls.reduce((a, b) => a + b, 0) / calls.length).toFixed(2)}, max ${Math.max(...calls)}`],
    ["Zoho calls per correct single match", (matched.reduce((a, r) => a + r.calls, 0) / Math.max(1, matched.length)).toFixed(2)],
    ...results.filter((r) => !r.correct).map((r): [string, string] => [`Missed: ${r.label}`, r.got]),
  ];
  return { rows, results, matchRate: correct / results.length };
}
