// Step 4: review the answers and choose a password; submitting creates the account.
import { getFormProps, getInputProps } from "@conform-to/react";
import { Link } from "@remix-run/react";
import { Field, FormError, PostForm } from "~/components/forms";
import { AccountSchema } from "~/customers/registration-schema";
import { firstInvalid, StepButtons, useStepForm, type StepProps } from "./step-form";

export function AccountStep({ draft }: StepProps) {
  const [form, fields] = useStepForm(AccountSchema, undefined);
  const p = draft.personal!;
  const d = draft.delivery!;
  const focus = firstInvalid([fields.password, fields.confirmPassword]);
  return (
    <PostForm {...getFormProps(form)}>
      <input type="hidden" name="step" value="4" />
      <FormError errors={form.errors} />
      <h2>Check your answers</h2>
      <dl className="facts review">
        <dt>Your details</dt>
        <dd>
          {`${p.firstName} ${p.lastName}`}
          <br />
          {p.email}
          <br />
          {p.phone}{" "}
          <Link to="/register?step=1&edit=1" aria-label="Edit your name, email and mobile number">
            Edit
          </Link>
        </dd>
        <dt>Ordered before</dt>
        <dd>
          {draft.history!.customerType === "returning" ? "Yes, link my order history" : "No, I'm new"}{" "}
          <Link to="/register?step=2&edit=1" aria-label="Edit whether you ordered before">
            Edit
          </Link>
        </dd>
        <dt>Delivery</dt>
        <dd>
          {d.deliveryMethod === "delivery" ? [d.addressLine1, d.addressLine2, d.city, d.province, d.postalCode].filter(Boolean).join(", ") : "Pickup at the store"}{" "}
          <Link to="/register?step=3&edit=1" aria-label="Edit delivery">
            Edit
          </Link>
        </dd>
      </dl>
      <h2>Choose a password</h2>
      <Field label="Password" hint="At least 10 characters" field={fields.password}>
        <input
          {...getInputProps(fields.password, { type: "password" })}
          autoComplete="new-password"
          aria-describedby={`${fields.password.descriptionId} ${fields.password.errorId}`}
          autoFocus={focus === fields.password.name}
        />
      </Field>
      <Field label="Confirm password" field={fields.confirmPassword}>
        <input {...getInputProps(fields.confirmPassword, { type: "password" })} autoComplete="new-password" autoFocus={focus === fields.confirmPassword.name} />
      </Field>
      <StepButtons step={4} />
    </PostForm>
  );
}
