// A linked customer's edited details on their way to Zoho (issue 20, item 5; docs/decisions/039-profile-updates-to-zoho.md).
// Pure: what the customer changed, what Zoho holds now, and what may be written. Zoho has no version check, so the
// run reads the contact and compares each field the customer changed with `base` (what Zoho is believed to hold:
// what we last sent, or the portal's values before the first edit): Zoho still has `base` → write; Zoho already has
// the customer's value → nothing to do (also a replay after a crash); anything else → Zoho's copy changed the same
// field since: never overwritten, held for an admin with both values.
// Where: the name and mobile number live on the customer's OWN contact person (the one with their email); the
// contact's display name and shipping address are written only on an individual contact whose primary person is
// theirs. A company or family contact (business, a company name, or linked through a secondary person) is never
// renamed and its address never changed by one person's edit.
import { sameEmail } from "~/common/email-address";
import type { ProfileAddress, ProfileConflict, ProfileFields } from "./vocabulary";
import type { ZohoContact, ZohoContactPerson } from "~/zoho/types";

export type { ProfileAddress, ProfileConflict, ProfileFields };
export type ProfileField = ProfileConflict["field"];

/** What the work phase is handed (it reads no database): the edit to send, and to which contact. */
export type PendingUpdate = { contactId: string; version: number; wanted: ProfileFields; base: ProfileFields; email: string };

/** What an update job's work found (errors come back as a sync run's error result and wait or retry as every job does). */
export type ProfileOutcome =
  | {
      kind: "profile_update";
      version: number;
      /** sent: every changed field is in Zoho now; conflict: some were held (both values kept for an admin). */
      status: "sent" | "conflict";
      done: ProfileField[];
      conflicts: ProfileConflict[];
      keptHere: ProfileField[];
      nextBase: ProfileFields;
    }
  | {
      kind: "profile_not_sent";
      reason: string;
      /** Zoho answered that the linked contact does not exist (deleted): its id, for settle to end the links to it. */
      contactGone?: string;
    };

/** What the profile form stores, as the fields sent to Zoho (pickup: no delivery address). */
export type ProfileColumns = {
  firstName: string;
  lastName: string;
  phone: string;
  deliveryMethod: string;
  addressLine1: string | null;
  addressLine2: string | null;
  city: string | null;
  province: string | null;
  postalCode: string | null;
};

export function profileFields(c: ProfileColumns): ProfileFields {
  const delivery = c.deliveryMethod === "delivery" && !!c.addressLine1;
  return {
    firstName: c.firstName,
    lastName: c.lastName,
    phone: c.phone,
    address: delivery
      ? { address: c.addressLine1 ?? "", street2: c.addressLine2 ?? "", city: c.city ?? "", state: c.province ?? "", zip: c.postalCode ?? "" }
      : null,
  };
}

const FIELDS: ProfileField[] = ["name", "phone", "address"];
const norm = (s: string | null | undefined) => (s ?? "").replace(/\s+/g, " ").trim().toLowerCase();
export const displayName = (f: Pick<ProfileFields, "firstName" | "lastName">) => `${f.firstName} ${f.lastName}`.replace(/\s+/g, " ").trim();

/** A field as words (what the admin page shows, and what is compared after normalising spaces and case). */
export function fieldText(f: ProfileFields, field: ProfileField): string {
  if (field === "name") return displayName(f);
  if (field === "phone") return f.phone;
  const a = f.address;
  return a ? [a.address, a.street2, a.city, a.state, a.zip].map((s) => s.trim()).filter(Boolean).join(", ") : "";
}

/** A field as compared: case and runs of spaces ignored; a number by its digits ("+63 917-000 0001" = "+639170000001"). */
const key = (f: ProfileFields, field: ProfileField) => (field === "phone" ? f.phone.replace(/[^\d+]/g, "") : norm(fieldText(f, field)));

/** Fields the customer changed since `base`: the only ones a run may write. */
export function changedSince(base: ProfileFields, wanted: ProfileFields): ProfileField[] {
  return FIELDS.filter((f) => key(base, f) !== key(wanted, f));
}

/** What Zoho holds of a customer, read from the contact (get_contact), and where their own details live there. */
export type ZohoSide = {
  values: ProfileFields;
  /** The customer's own contact person (their email), or null when the contact has none with it. */
  person: ZohoContactPerson | null;
  /** A company or family contact: only the customer's own person may change. */
  shared: boolean;
};

type Shipping = { address?: string | null; street2?: string | null; city?: string | null; state?: string | null; zip?: string | null } | null | undefined;

export function zohoSide(contact: ZohoContact, customerEmail: string): ZohoSide {
  const persons = contact.contact_persons ?? [];
  const person = persons.find((p) => sameEmail(p.email, customerEmail)) ?? null;
  const shared =
    !person ||
    !person.is_primary_contact ||
    (contact.contact_type ?? "customer") !== "customer" ||
    contact.customer_sub_type === "business" ||
    !!(contact.company_name ?? "").trim();
  const s = contact.shipping_address as Shipping;
  const address: ProfileAddress | null =
    s && [s.address, s.street2, s.city, s.state, s.zip].some((v) => (v ?? "").trim())
      ? { address: s.address ?? "", street2: s.street2 ?? "", city: s.city ?? "", state: s.state ?? "", zip: s.zip ?? "" }
      : null;
  return { values: { firstName: person?.first_name ?? "", lastName: person?.last_name ?? "", phone: person?.mobile ?? "", address }, person, shared };
}

export type UpdatePlan = {
  /** PUT /contacts/{id}: contact_name is always sent (Zoho requires it); the address only when it changes. */
  contact: { contact_name: string; shipping_address?: ProfileAddress } | null;
  /** PUT /contacts/contactpersons/{id}: the customer's own person. */
  person: { contact_person_id: string; first_name: string; last_name?: string; mobile?: string } | null;
  /** Fields written, or found already as the customer wants them. */
  done: ProfileField[];
  /** Fields Zoho changed since `base`: not written. */
  conflicts: ProfileConflict[];
  /** A changed field kept in the portal on purpose (a shared contact's address). */
  keptHere: ProfileField[];
  /** What Zoho will hold of the fields once the plan is written (the next run's `base`). */
  nextBase: ProfileFields;
};

/**
 * The plan for one run. The contact's display name is rewritten only on an individual contact whose primary person is
 * the customer and while it still reads as the old name (a name the shop gave it stays).
 */
export function planUpdate(base: ProfileFields, wanted: ProfileFields, contact: ZohoContact, customerEmail: string): UpdatePlan {
  const zoho = zohoSide(contact, customerEmail);
  const plan: UpdatePlan = { contact: null, person: null, done: [], conflicts: [], keptHere: [], nextBase: { ...base } };
  const write: ProfileField[] = [];
  for (const field of changedSince(base, wanted)) {
    // A shared contact's address is the company's or family's; an address removed (pickup) is not erased in Zoho.
    if (field === "address" && (zoho.shared || !wanted.address)) {
      if (zoho.shared) plan.keptHere.push(field);
      continue;
    }
    if ((field === "name" || field === "phone") && !zoho.person) {
      plan.conflicts.push({ field, portal: fieldText(wanted, field), zoho: "(no contact person with the customer's email)" });
      continue;
    }
    const now = key(zoho.values, field);
    if (now === key(wanted, field)) plan.done.push(field);
    else if (now === key(base, field)) write.push(field);
    else plan.conflicts.push({ field, portal: fieldText(wanted, field), zoho: fieldText(zoho.values, field) });
  }
  for (const field of [...plan.done, ...write]) setField(plan.nextBase, wanted, field);
  // Only the fields written are sent (a held field keeps Zoho's value); first_name always, as Zoho requires it.
  if (zoho.person && (write.includes("name") || write.includes("phone"))) {
    const name = write.includes("name");
    plan.person = {
      contact_person_id: String(zoho.person.contact_person_id),
      first_name: name ? wanted.firstName : zoho.values.firstName,
      ...(name ? { last_name: wanted.lastName } : {}),
      ...(write.includes("phone") ? { mobile: wanted.phone } : {}),
    };
  }
  const rename = write.includes("name") && !zoho.shared && norm(contact.contact_name) === norm(displayName(base));
  if (rename || write.includes("address"))
    plan.contact = {
      contact_name: rename ? displayName(wanted).slice(0, 200) : contact.contact_name,
      ...(write.includes("address") && wanted.address ? { shipping_address: wanted.address } : {}),
    };
  plan.done.push(...write);
  return plan;
}

function setField(target: ProfileFields, from: ProfileFields, field: ProfileField) {
  if (field === "name") Object.assign(target, { firstName: from.firstName, lastName: from.lastName });
  else if (field === "phone") target.phone = from.phone;
  else target.address = from.address;
}

export const FIELD_LABEL: Record<ProfileField, string> = { name: "Name", phone: "Mobile number", address: "Delivery address" };
