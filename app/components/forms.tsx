import { Form, useNavigation, useRouteLoaderData, type FormProps } from "@remix-run/react";
import type { ButtonHTMLAttributes, ReactNode } from "react";

type RootData = { csrfToken: string };

/** Hidden CSRF field: every state-changing form includes it (the Worker refuses forms without it). */
export function CsrfInput() {
  const root = useRouteLoaderData<RootData>("root");
  return <input type="hidden" name="csrf" value={root?.csrfToken ?? ""} />;
}

export function useCsrfToken() {
  return useRouteLoaderData<RootData>("root")?.csrfToken ?? "";
}

/** Field errors, announced to screen readers and tied to the input by id. */
export function ErrorList({ id, errors }: { id?: string; errors?: string[] | null }) {
  const list = errors?.filter(Boolean) ?? [];
  return (
    <div id={id} className="field-errors" aria-live="polite">
      {list.map((e) => (
        <p key={e} className="error">
          {e}
        </p>
      ))}
    </div>
  );
}

/** The parts of a Conform field a Field needs (`fields.email` from useForm). */
type ConformField = { id: string; errorId: string; descriptionId: string; errors?: string[] | null };

/**
 * A labelled field with its hint and announced errors, from its Conform field
 * (`<Field label="Email" field={fields.email}>`): ids and errors come from it, the hint is the
 * field's description. An input with a hint points at it: `getInputProps(field, { type, ariaDescribedBy: field.descriptionId })`.
 */
export function Field({ label, hint, field, children }: { label: ReactNode; hint?: ReactNode; field: ConformField; children: ReactNode }) {
  const errors = field.errors;
  return (
    <div className={`field${errors?.length ? " field--invalid" : ""}`}>
      <label htmlFor={field.id}>{label}</label>
      {hint ? (
        <p className="hint" id={field.descriptionId}>
          {hint}
        </p>
      ) : null}
      {children}
      <ErrorList id={field.errorId} errors={errors} />
    </div>
  );
}

/** True while a form of this page is being submitted: buttons say so by being disabled. */
export function useBusy() {
  return useNavigation().state === "submitting";
}

/**
 * A state-changing form: a POST with its CSRF field and the hidden values it carries (a token, an id).
 * It works without JavaScript (a Remix form).
 */
export function PostForm({ values, children, ...props }: Omit<FormProps, "method"> & { values?: Record<string, string | number> }) {
  return (
    <Form method="post" {...props}>
      <CsrfInput />
      {Object.entries(values ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
    </Form>
  );
}

/** A submit button that names the action it asks for (`intent`), disabled while any form of the page is submitting. */
export function IntentButton({
  intent,
  secondary,
  disabled,
  className,
  ...props
}: { intent: string; secondary?: boolean } & Omit<ButtonHTMLAttributes<HTMLButtonElement>, "type" | "name" | "value">) {
  const busy = useBusy();
  const classes = [secondary ? "button--secondary" : null, className].filter(Boolean).join(" ") || undefined;
  return <button type="submit" name="intent" value={intent} className={classes} disabled={busy || disabled} {...props} />;
}

export function FormError({ errors }: { errors?: string[] | null }) {
  if (!errors?.length) return null;
  return (
    <div role="alert" className="form-error">
      {errors.map((e) => (
        <p key={e}>{e}</p>
      ))}
    </div>
  );
}
