// What an admin judges a link by: the account's name and email beside the Zoho contact's. Pure.
import { normaliseEmail } from "~/common/email-address";
import { normaliseName } from "~/sync/matching";

export type Identity = { name: string; email: string | null };

export type IdentityComparison = {
  nameDiffers: boolean;
  /** null: Zoho holds no email for the contact, so nothing to compare. */
  emailDiffers: boolean | null;
  /** One plain sentence per difference, for the visible warning. */
  warnings: string[];
};

/** Case, spacing and composed accents do not count as differences (the same rules as matching). */
export function compareIdentity(account: Identity, contact: Identity): IdentityComparison {
  const nameDiffers = normaliseName(account.name) !== normaliseName(contact.name);
  const emailDiffers = account.email && contact.email ? normaliseEmail(account.email) !== normaliseEmail(contact.email) : null;
  const warnings: string[] = [];
  if (nameDiffers) warnings.push(`The names differ: the account says “${account.name}”, Zoho says “${contact.name}”.`);
  if (emailDiffers) warnings.push(`The emails differ: the account uses ${account.email}, Zoho has ${contact.email}.`);
  if (emailDiffers === null) warnings.push("Zoho has no email for this contact to compare with.");
  return { nameDiffers, emailDiffers, warnings };
}
