// The re-auth step (docs/decisions/040): what a dangerous admin action answers when the second factor was last
// checked too long ago. It carries the action's own fields and posts them back to the action with the code.
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { Link, useLocation } from "@remix-run/react";
import type { ReauthStep } from "~/auth/reauth.server";
import { CODE_OR_RECOVERY_HINT, CodeField } from "./code-field";
import { FormError, IntentButton, PostForm } from "./forms";

export function isReauthStep(data: unknown): data is ReauthStep {
  return typeof data === "object" && data !== null && "reauth" in data && "fields" in data;
}

const inWords = (minutes: number) =>
  minutes >= 1 ? `${minutes} minute${minutes === 1 ? "" : "s"}` : `${Math.round(minutes * 60)} second${Math.round(minutes * 60) === 1 ? "" : "s"}`;

/** `constraint`: the browser's checks of the code field (getZodConstraint of the route's schema). */
export function ReauthStepPage({ step, constraint }: { step: ReauthStep; constraint: Record<string, { required?: boolean; minLength?: number; maxLength?: number }> }) {
  const lastResult: SubmissionResult<string[]> | undefined = step.error ? { status: "error", error: { factorCode: [step.error] } } : undefined;
  const [form, fields] = useForm<{ factorCode: string }>({ id: "reauth", lastResult, constraint, shouldValidate: "onBlur" });
  const { intent = "", ...values } = step.fields;
  // Where the action's form posted (the server's request lost an index route's `?index`): the step posts there too.
  const location = useLocation();
  const action = location.pathname + location.search;
  return (
    <section className="card narrow" aria-labelledby="reauth-title">
      <h1 id="reauth-title">Confirm it is you</h1>
      <p>
        {`To ${step.what}, type a code from your authenticator app again.`}
        {step.minutes > 0 ? ` Your second factor was last checked more than ${inWords(step.minutes)} ago.` : ""}
      </p>
      <PostForm {...getFormProps(form)} action={action} values={values}>
        <FormError errors={form.errors} />
        <CodeField field={fields.factorCode} hint={CODE_OR_RECOVERY_HINT} />
        <div className="actions">
          <IntentButton intent={intent}>{`Confirm and ${step.what}`}</IntentButton>
          <Link to={location.pathname}>Cancel</Link>
        </div>
      </PostForm>
    </section>
  );
}
