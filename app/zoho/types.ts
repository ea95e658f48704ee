// The parts of Zoho Books' JSON the product reads (docs/zoho-facts.md, "Contacts" and "Invoices").
// Loose objects: Zoho adds fields freely, we validate only what we use.
import { z } from "zod";

const str = z.string().nullish().transform((v) => v ?? null);
const id = z.union([z.string(), z.number()]).transform(String);

export const ContactPersonSchema = z.looseObject({
  contact_person_id: id.optional(),
  first_name: str,
  last_name: str,
  email: str,
  phone: str,
  mobile: str,
  is_primary_contact: z.boolean().nullish(),
});

export type ZohoContactPerson = z.infer<typeof ContactPersonSchema>;

export const ContactSchema = z.looseObject({
  contact_id: id,
  contact_name: z.string(),
  company_name: str,
  contact_type: str,
  customer_sub_type: z.string().nullish(),
  status: str,
  email: str,
  phone: str,
  mobile: str,
  first_name: str,
  last_name: str,
  contact_persons: z.array(ContactPersonSchema).nullish(),
  custom_fields: z.array(z.looseObject({ label: str, value: z.unknown() })).nullish(),
  shipping_address: z.looseObject({ address: str, street2: str, city: str, state: str, zip: str }).nullish(),
  last_modified_time: z.string().nullish(),
});
export type ZohoContact = z.infer<typeof ContactSchema>;

export const PageContextSchema = z.looseObject({
  page: z.coerce.number().optional(),
  per_page: z.coerce.number().optional(),
  has_more_page: z.boolean().optional(),
});

export const ContactListSchema = z.looseObject({
  contacts: z.array(ContactSchema),
  page_context: PageContextSchema.optional(),
});
export const ContactPersonListSchema = z.looseObject({
  contact_persons: z.array(ContactPersonSchema),
  page_context: PageContextSchema.optional(),
});
export const ContactEnvelopeSchema = z.looseObject({ contact: ContactSchema });
/** update_contact_person answers the person in an array (contact-persons.yml). */
export const ContactPersonEnvelopeSchema = z.looseObject({ contact_person: z.union([z.array(ContactPersonSchema), ContactPersonSchema]) });

/** What a profile update writes on the contact (contacts.yml, update-a-contact-request: contact_name is required). */
export type ContactUpdate = {
  contact_name: string;
  shipping_address?: { address: string; street2: string; city: string; state: string; zip: string };
};
/** What a profile update writes on the customer's own person (contact-persons.yml, update-a-contact-person-request). */
export type ContactPersonUpdate = { contact_id: string; first_name: string; last_name?: string; mobile?: string };

export const InvoiceSchema = z.looseObject({
  invoice_id: id,
  invoice_number: z.string(),
  customer_id: id.optional(),
  date: z.string(),
  due_date: str,
  status: z.string(),
  total: z.coerce.number(),
  balance: z.coerce.number(),
  currency_code: z.string(),
  last_modified_time: z.string().nullish(),
});
export type ZohoInvoice = z.infer<typeof InvoiceSchema>;
export const InvoiceListSchema = z.looseObject({
  invoices: z.array(InvoiceSchema),
  page_context: PageContextSchema.optional(),
});

/** A page of the directory in an order (the mirror's reads, app/zoho/mirror/): every status, 200 a page. */
export type DirectoryPage = { sortColumn: "created_time" | "last_modified_time"; sortOrder: "A" | "D"; page: number };

/** What we send to create a contact (contacts.yml, create-a-contact-request; custom_fields items are `{index, value}`). */
export type NewContact = {
  contact_name: string;
  contact_type: "customer";
  customer_sub_type: "individual";
  contact_persons: Array<{
    first_name: string;
    last_name: string;
    email: string;
    phone?: string;
    mobile?: string;
    is_primary_contact: true;
  }>;
  custom_fields?: Array<{ index: number; value: string }>;
};

/** Zoho's list filters (contacts.yml, list_contacts): `email` is the PRIMARY contact person's email, exact. */
/** The longest email Zoho Books holds on a contact person or searches by (contacts.yml: maxLength 100). */
export const ZOHO_EMAIL_MAX_LENGTH = 100;

export type ContactFilters = {
  email?: string;
  emailContains?: string;
  emailStartsWith?: string;
  contactName?: string;
  contactNameContains?: string;
  contactNameStartsWith?: string;
  /** Contact name or notes. */
  searchText?: string;
  /** Inactive contacts too (filter_by=Status.All): whether Zoho's default list holds them is unverified (docs/zoho-facts.md). */
  includeInactive?: boolean;
  page?: number;
  perPage?: number;
};

export type Page<T> = { items: T[]; page: number; hasMore: boolean };

/**
 * The contact calls of the Zoho client (client.server.ts implements them): what the sync's work phase and
 * the lookups it uses are handed, so they depend on no database module (the client counts each call in the
 * ledger; they never see it).
 */
export interface ZohoContacts {
  listContacts(filters: ContactFilters): Promise<Page<ZohoContact>>;
  getContact(contactId: string): Promise<ZohoContact>;
  listContactPersons(contactId: string, page?: number): Promise<Page<ZohoContactPerson>>;
  createContact(contact: NewContact): Promise<ZohoContact>;
  /** PUT /contacts/{id}: what is sent changes (a profile update never sends contact_persons, which would replace them). */
  updateContact(contactId: string, update: ContactUpdate): Promise<ZohoContact>;
  /** PUT /contacts/contactpersons/{id}: one person of a contact. */
  updateContactPerson(personId: string, update: ContactPersonUpdate): Promise<void>;
  /** Zoho's upsert on a unique custom field; `create: false` only updates (not_found when no contact holds the value). */
  upsertContact(uniqueField: string, value: string, contact: NewContact, opts?: { create?: boolean }): Promise<ZohoContact>;
}
