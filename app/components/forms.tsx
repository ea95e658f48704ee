import { useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";

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

type FieldProps = {
  label: ReactNode;
  hint?: ReactNode;
  children: ReactNode;
} & (
  | { field: ConformField; htmlFor?: never; errorId?: never; errors?: never; hintId?: never }
  | { field?: never; errors?: string[] | null; errorId: string; hintId?: string; htmlFor: string }
);

/**
 * A labelled field with its hint and announced errors. Give it the Conform field
 * (`<Field label="Email" field={fields.email}>`): ids and errors come from it, the hint is
 * the field's description (point the input's aria-describedby at `field.descriptionId`).
 */
export function Field(props: FieldProps) {
  const { label, hint, children } = props;
  const htmlFor = props.field ? props.field.id : props.htmlFor;
  const errorId = props.field ? props.field.errorId : props.errorId;
  const errors = props.field ? props.field.errors : props.errors;
  const hintId = props.field ? props.field.descriptionId : props.hintId;
  return (
    <div className={`field${errors?.length ? " field--invalid" : ""}`}>
      <label htmlFor={htmlFor}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {children}
      <ErrorList id={errorId} errors={errors} />
    </div>
  );
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
