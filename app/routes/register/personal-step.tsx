// Step 1: name, email and mobile number. Whether the email already has an account is never said here
// (docs/decisions/022): its owner is told by mail after the submit.
import { getFormProps, getInputProps } from "@conform-to/react";
import { Field, FormError, PostForm } from "~/components/forms";
import { PersonalSchema } from "~/customers/registration-schema";
import { firstInvalid, StepButtons, useStepForm, type StepProps } from "./step-form";

export function PersonalStep({ draft, editing }: StepProps) {
  const [form, fields] = useStepForm(PersonalSchema, draft.personal);
  const focus = firstInvalid([fields.firstName, fields.lastName, fields.email, fields.phone]);
  return (
    <PostForm {...getFormProps(form)} aria-describedby="step-count">
      <input type="hidden" name="step" value="1" />
      {editing ? <input type="hidden" name="edit" value="1" /> : null}
      <FormError errors={form.errors} />
      <Field label="First name" field={fields.firstName}>
        <input {...getInputProps(fields.firstName, { type: "text" })} autoComplete="given-name" autoFocus={focus === fields.firstName.name} />
      </Field>
      <Field label="Last name" field={fields.lastName}>
        <input {...getInputProps(fields.lastName, { type: "text" })} autoComplete="family-name" autoFocus={focus === fields.lastName.name} />
      </Field>
      <Field label="Email" field={fields.email}>
        <input {...getInputProps(fields.email, { type: "email" })} autoComplete="email" autoFocus={focus === fields.email.name} />
      </Field>
      <Field label="Mobile number"
        hint="For delivery updates, e.g. 0917 123 4567" field={fields.phone}>
        <input
          {...getInputProps(fields.phone, { type: "tel" })}
          autoComplete="tel"
          inputMode="tel"
          aria-describedby={`${fields.phone.descriptionId} ${fields.phone.errorId}`}
          autoFocus={focus === fields.phone.name}
        />
      </Field>
      <StepButtons step={1} />
    </PostForm>
  );
}

