// Seed data shaped to exercise every matching rule the product has: each kind of returning customer in
// scripts/bench/matching.ts (primary email, secondary person's email, case differences, shared emails,
// name only, not in Zoho) has contacts here.
import type { Invoice, SandboxState } from "./state";

export function seedDefault(state: SandboxState) {
  const c = (input: Parameters<SandboxState["addContact"]>[0]) => state.addContact(input);
  const ana = c({ contact_name: "Ana Reyes", first_name: "Ana", last_name: "Reyes", email: "ana.reyes@example.com", mobile: "+639170000001" });
  c({ contact_name: "Ben Santos", first_name: "Ben", last_name: "Santos", email: "ben.santos@example.com" });
  // Partial-match traps: Zoho's email filter matches "santos@example.com" inside "maria.santos@example.com".
  const maria = c({ contact_name: "Maria Santos", first_name: "Maria", last_name: "Santos", email: "maria.santos@example.com" });
  c({ contact_name: "R. Santos", first_name: "Rico", last_name: "Santos", email: "santos@example.com" });
  // Two contacts sharing one email (ambiguous by email).
  c({ contact_name: "Shared Inbox Household", first_name: "Liza", last_name: "Mercado", email: "shared@example.com" });
  c({ contact_name: "Shared Inbox Office", company_name: "Mercado Office Supplies", first_name: "Tomas", last_name: "Mercado", email: "shared@example.com" });
  // Names equal after normalising case and spaces (ambiguous by name).
  c({ contact_name: "Pedro  Garcia", first_name: "Pedro", last_name: "Garcia", email: "pedro.garcia@example.com" });
  c({ contact_name: "pedro garcia", first_name: "pedro", last_name: "garcia", email: "pgarcia@mail.example" });
  // An email held only by a non-primary contact person.
  const lopez = c({
    contact_name: "Lopez Trading",
    company_name: "Lopez Trading Co.",
    customer_sub_type: "business",
    contact_persons: [
      { first_name: "Office", last_name: "Desk", email: "office@lopeztrading.example", is_primary_contact: true },
      { first_name: "Carla", last_name: "Lopez", email: "carla.lopez@example.com", is_primary_contact: false },
    ],
  });
  const juan = c({ contact_name: "Juan Dela Cruz", first_name: "Juan", last_name: "Dela Cruz", email: "juan@example.com", mobile: "+639171234000", notes: "Prefers pickup at the Quezon City branch" });
  // An email stored in Zoho with capitals (the customer types it in lower case).
  c({ contact_name: "Rosa Lim", first_name: "Rosa", last_name: "Lim", email: "Rosa.Lim@Example.com" });
  // A secondary contact person whose surname is not in the contact's name: only an email search on persons finds her.
  c({
    contact_name: "Greenfield Bakery",
    company_name: "Greenfield Bakery Inc.",
    customer_sub_type: "business",
    contact_persons: [
      { first_name: "Orders", last_name: "Desk", email: "orders@greenfield.example", is_primary_contact: true },
      { first_name: "Nina", last_name: "Cruz", email: "nina.cruz@example.com", is_primary_contact: false },
    ],
  });
  c({ contact_name: "Inactive Ines", first_name: "Ines", last_name: "Villa", email: "ines.villa@example.com", status: "inactive" });
  c({ contact_name: "Manila Paper Supply", company_name: "Manila Paper Supply Inc.", contact_type: "vendor", customer_sub_type: "business", email: "sales@manilapaper.example" });
  c({ contact_name: "Ana Reyes Logistics", company_name: "Ana Reyes Logistics", contact_type: "vendor", customer_sub_type: "business", email: "dispatch@arlogistics.example" });

  const statuses: Invoice["status"][] = ["paid", "overdue", "sent", "draft", "partially_paid"];
  let n = 1;
  const invoice = (customer: { contact_id: string; contact_name: string }, i: number, currency = "PHP"): Invoice => {
    const date = new Date(Date.UTC(2026, 0, 5) + i * 9 * 86_400_000);
    const total = 1250 + ((i * 7919) % 9000);
    const status = statuses[i % statuses.length];
    return {
      invoice_id: state.id(),
      invoice_number: `INV-${String(n++).padStart(6, "0")}`,
      customer_id: customer.contact_id,
      customer_name: customer.contact_name,
      date: date.toISOString().slice(0, 10),
      due_date: new Date(date.getTime() + 15 * 86_400_000).toISOString().slice(0, 10),
      status,
      total,
      balance: status === "paid" ? 0 : status === "partially_paid" ? Math.round(total / 2) : total,
      currency_code: currency,
      created_time: state.iso(),
      last_modified_time: state.iso(),
    };
  };
  for (let i = 0; i < 30; i++) state.invoices.push(invoice(ana, i)); // more than one page of 25
  for (let i = 0; i < 3; i++) state.invoices.push(invoice(juan, i));
  for (let i = 0; i < 4; i++) state.invoices.push(invoice(lopez, i, "USD"));
  state.invoices.push(invoice(maria, 1));
}
