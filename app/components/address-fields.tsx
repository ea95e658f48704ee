// The delivery address fields, one home for registration's step 3 and the account's details: labels, order and
// autocomplete hints. Each caller renders its inputs (Conform's props, its own focus rules).
import type { ReactNode } from "react";
import { Field } from "./forms";

export const ADDRESS_FIELDS = ["addressLine1", "addressLine2", "city", "province", "postalCode"] as const;
type AddressField = (typeof ADDRESS_FIELDS)[number];
type FieldLike = { id: string; errorId: string; descriptionId: string; errors?: string[] };
export type AddressInput<F extends FieldLike> = (field: F, autoComplete: string, extra?: { inputMode?: "numeric" }) => ReactNode;

export function AddressFieldset<F extends FieldLike>({ fields, input }: { fields: Record<AddressField, F>; input: AddressInput<F> }) {
  const row = (name: AddressField, label: string, autoComplete: string, extra?: { inputMode?: "numeric" }) => (
    <Field label={label} field={fields[name]}>
      {input(fields[name], autoComplete, extra)}
    </Field>
  );
  return (
    <fieldset>
      <legend>Delivery address (only needed for delivery)</legend>
      {row("addressLine1", "Street address", "address-line1")}
      {row("addressLine2", "Unit, building (optional)", "address-line2")}
      {row("city", "City or municipality", "address-level2")}
      {row("province", "Province", "address-level1")}
      {row("postalCode", "Postal code", "postal-code", { inputMode: "numeric" })}
    </fieldset>
  );
}
