// Step 3: delivery or pickup, and the address when delivering.
import { getFormProps, getInputProps } from "@conform-to/react";
import { AddressFieldset } from "~/components/address-fields";
import { ErrorList, FormError, PostForm } from "~/components/forms";
import { DeliverySchema } from "~/customers/registration-schema";
import { ChoiceCards, DELIVERY_CHOICES } from "~/components/choice-cards";
import { firstInvalid, StepButtons, useStepForm, type StepProps } from "./step-form";

export function DeliveryStep({ draft, editing }: StepProps) {
  const [form, fields] = useStepForm(DeliverySchema, draft.delivery);
  const method = fields.deliveryMethod;
  const f = fields as unknown as Record<"addressLine1" | "addressLine2" | "city" | "province" | "postalCode", typeof fields.deliveryMethod>;
  const pickup = method.value === "pickup";
  const focus = firstInvalid([method, f.addressLine1, f.addressLine2, f.city, f.province, f.postalCode]);
  const text = (field: typeof f.city, autoComplete: string, extra: { inputMode?: "numeric" } = {}) => (
    <input {...getInputProps(field, { type: "text" })} required={false} autoComplete={autoComplete} autoFocus={focus === field.name} {...extra} />
  );
  return (
    <PostForm {...getFormProps(form)}>
      <input type="hidden" name="step" value="3" />
      {editing ? <input type="hidden" name="edit" value="1" /> : null}
      <FormError errors={form.errors} />
      <fieldset className="choice-cards" aria-describedby={method.errorId}>
        <legend>
          <h2>How would you like to get your orders?</h2>
        </legend>
        <ChoiceCards field={method} choices={DELIVERY_CHOICES} autoFocus={focus === method.name} />
        <ErrorList id={method.errorId} errors={method.errors} />
      </fieldset>
      {pickup ? null : <AddressFieldset fields={f} input={text} />}
      <StepButtons step={3} />
    </PostForm>
  );
}

