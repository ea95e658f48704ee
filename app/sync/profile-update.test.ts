import { describe, expect, it } from "vitest";
import type { ZohoContact } from "~/zoho/types";
import { changedSince, planUpdate, type ProfileFields } from "./profile-update";

const base: ProfileFields = { firstName: "Ana", lastName: "Reyes", phone: "+639170000001", address: null };
const home = { address: "12 Mango St", street2: "", city: "Makati", state: "Metro Manila", zip: "1200" };

function contact(over: Partial<ZohoContact> = {}, person: Record<string, unknown> = {}): ZohoContact {
  return {
    contact_id: "1",
    contact_name: "Ana Reyes",
    company_name: "",
    contact_type: "customer",
    customer_sub_type: "individual",
    status: "active",
    email: null,
    phone: null,
    mobile: null,
    first_name: null,
    last_name: null,
    contact_persons: [{ contact_person_id: "p1", first_name: "Ana", last_name: "Reyes", email: "ana@x.example", phone: null, mobile: "+639170000001", is_primary_contact: true, ...person }],
    ...over,
  } as ZohoContact;
}

describe("a profile update's plan", () => {
  it.each([
    ["Zoho still holds what we knew: every changed field is written", contact(), { ...base, lastName: "Cruz", phone: "+639171112222", address: home }, { contact: true, person: true, conflicts: [] }],
    ["Zoho already holds the customer's values (a replay): nothing is written", contact({ contact_name: "Ana Cruz" }, { last_name: "Cruz" }), { ...base, lastName: "Cruz" }, { contact: false, person: false, conflicts: [] }],
    ["Zoho changed the mobile since: held, the name still goes", contact({}, { mobile: "+639175550000" }), { ...base, lastName: "Cruz", phone: "+639171112222" }, { contact: true, person: true, conflicts: ["phone"] }],
    ["a company contact: never renamed, its address kept, the person written", contact({ company_name: "Lopez Trading Co.", customer_sub_type: "business" }), { ...base, lastName: "Cruz", address: home }, { contact: false, person: true, conflicts: [] }],
    ["a contact renamed by the shop keeps its name; the person is written", contact({ contact_name: "Reyes Household" }), { ...base, lastName: "Cruz" }, { contact: false, person: true, conflicts: [] }],
    ["no person with the customer's email: held for review", contact({}, { email: "someone@else.example" }), { ...base, phone: "+639171112222" }, { contact: false, person: false, conflicts: ["phone"] }],
  ])("%s", (_what, zoho, wanted, expected) => {
    const plan = planUpdate(base, wanted, zoho, "ana@x.example");
    expect({ contact: !!plan.contact, person: !!plan.person, conflicts: plan.conflicts.map((c) => c.field) }).toEqual(expected);
  });

  it("sends only the written fields of the person (a held mobile keeps Zoho's value) and always contact_name on the contact", () => {
    const plan = planUpdate(base, { ...base, lastName: "Cruz", phone: "+639171112222", address: home }, contact({}, { mobile: "+639175550000" }), "ana@x.example");
    expect(plan.person).toEqual({ contact_person_id: "p1", first_name: "Ana", last_name: "Cruz" });
    expect(plan.contact).toEqual({ contact_name: "Ana Cruz", shipping_address: home });
    expect(plan.nextBase).toEqual({ ...base, lastName: "Cruz", address: home });
  });

  it("compares ignoring case and runs of spaces; a switch to pickup does not erase Zoho's address", () => {
    expect(changedSince(base, { ...base, lastName: " reyes " })).toEqual([]);
    const plan = planUpdate({ ...base, address: home }, base, contact({ shipping_address: home } as Partial<ZohoContact>), "ana@x.example");
    expect(plan).toMatchObject({ contact: null, person: null, keptHere: [], done: [] });
  });
});
