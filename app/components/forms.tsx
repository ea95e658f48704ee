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

type FieldProps = {
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[] | null;
  errorId: string;
  hintId?: string;
  children: ReactNode;
  htmlFor: string;
};

export function Field({ label, hint, errors, errorId, hintId, children, htmlFor }: FieldProps) {
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
