import { describe, expect, it } from "vitest";
import type { ZohoContact } from "~/zoho/types";
import { decide, exactEmailMatches, exactNameMatches, normaliseName, personsHaveEmail } from "./matching";

const contact = (id: string, name: string, email: string | null, extra: Partial<ZohoContact> = {}): ZohoContact => ({
  contact_id: id,
  contact_name: name,
  company_name: null,
  contact_type: "customer",
  status: "active",
  email,
  phone: null,
  mobile: null,
  first_name: null,
  last_name: null,
  ...extra,
});

describe("matching a returning customer", () => {
  it("ignores Zoho's partial email hits and compares trimmed, case-insensitive", () => {
    const hits = [contact("1", "Maria Santos", "maria.santos@example.com"), contact("2", "Santos", "Santos@Example.com")];
    expect(exactEmailMatches(hits, "  santos@example.COM ").map((c) => c.contact_id)).toEqual(["2"]);
  });
  it("finds an email held only by a contact person", () => {
    const lopez = contact("3", "Lopez Trading", "office@lopez.example", {
      contact_persons: [{ first_name: "Carla", last_name: "Lopez", email: "carla.lopez@example.com", phone: null, mobile: null, is_primary_contact: false }],
    });
    expect(exactEmailMatches([lopez], "carla.lopez@example.com")).toHaveLength(1);
  });
  it("checks contact persons for the exact email, trimmed and in any case, never by part", () => {
    const persons = [{ email: "Office@Lopez.example" }, { email: "carla.lopez@example.com" }, { email: null }];
    expect(personsHaveEmail(persons, " CARLA.LOPEZ@example.com")).toBe(true);
    expect(personsHaveEmail(persons, "office@lopez.example")).toBe(true);
    expect(personsHaveEmail(persons, "lopez@example.com")).toBe(false);
  });
  it("normalises case and repeated spaces in names", () => {
    expect(normaliseName("  Pedro   GARCIA ")).toBe("pedro garcia");
    const hits = [contact("4", "Pedro  Garcia", "a@x.com"), contact("5", "pedro garcia", "b@x.com"), contact("6", "Pedro Garcia Jr", "c@x.com")];
    expect(exactNameMatches(hits, "Pedro Garcia").map((c) => c.contact_id)).toEqual(["4", "5"]);
  });
  it("does not match inactive contacts by name", () => {
    expect(exactNameMatches([contact("7", "Ana Cruz", null, { status: "inactive" })], "Ana Cruz")).toEqual([]);
  });
  it("one match links, several go to review with candidates, none decides nothing", () => {
    expect(decide([contact("1", "A", "a@x.com")], "email")).toMatchObject({ kind: "one", by: "email" });
    const many = decide([contact("1", "A", "a@x.com"), contact("2", "B", "a@x.com")], "email");
    expect(many).toMatchObject({ kind: "many", candidates: [{ contactId: "1" }, { contactId: "2" }] });
    expect(decide([], "name")).toBeNull();
  });
});
