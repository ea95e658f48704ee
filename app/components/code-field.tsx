import { getInputProps, type FieldMetadata } from "@conform-to/react";
import { Field } from "./forms";

/**
 * Where an admin types a code: the authenticator app's 6 digits (`digitsOnly` while setting an app up) or one of
 * their recovery codes. Sign-in's second step, setting up an app, an admin's password reset and the re-auth step.
 */
export function CodeField<Form extends Record<string, unknown>>({
  field,
  label = "Code",
  hint,
  digitsOnly = false,
  required,
}: {
  field: FieldMetadata<string, Form, string[]>;
  label?: string;
  hint: string;
  digitsOnly?: boolean;
  required?: boolean;
}) {
  return (
    <Field label={label} hint={hint} field={field}>
      <input
        {...getInputProps(field, { type: "text" })}
        required={required ?? field.required}
        autoComplete="one-time-code"
        inputMode={digitsOnly ? "numeric" : "text"}
        autoCapitalize="none"
        spellCheck={false}
        aria-describedby={`${field.descriptionId} ${field.errorId}`}
      />
    </Field>
  );
}

/** The hint of a code field that takes the app's code or a recovery code. */
export const CODE_OR_RECOVERY_HINT = "The 6-digit code your authenticator app shows now, or one of your recovery codes (each works once).";
