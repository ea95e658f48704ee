// The account page's pending states: an address not yet confirmed (with the code form) and an email change
// waiting for the new address's confirmation.
import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { Link, useActionData } from "@remix-run/react";
import { Field, FormError, IntentButton, PostForm, useBusy } from "~/components/forms";
import { ConfirmCodeSchema } from "~/customers/account-schemas";

/** What the account page's action answers (route.tsx): the code form's result, or a form-level error. */
type AccountAnswer = { intent: string; result?: SubmissionResult<string[]>; formErrors?: string[] };

function CodeForm({ label }: { label: string }) {
  const answer = useActionData<AccountAnswer>();
  const [form, fields] = useForm({
    id: "confirm-code",
    lastResult: answer && "result" in answer ? answer.result : undefined,
    constraint: getZodConstraint(ConfirmCodeSchema),
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ConfirmCodeSchema }),
  });
  return (
    <PostForm {...getFormProps(form)} className="code-form">
      <FormError errors={form.errors} />
      <Field label={label} hint="8 letters and digits, from the mail; it works for 15 minutes." field={fields.code}>
        <input
          {...getInputProps(fields.code, { type: "text", ariaDescribedBy: fields.code.descriptionId })}
          inputMode="text"
          autoComplete="one-time-code"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={12}
        />
      </Field>
      <IntentButton intent="confirm-code">Confirm with the code</IntentButton>
    </PostForm>
  );
}

export function PendingVerification({ pending }: { pending: { email: string; removeAfter: string | null; mailProblem: boolean; takenBack: boolean } }) {
  const answer = useActionData<AccountAnswer>();
  const busy = useBusy();
  if (pending.takenBack) {
    return (
      <div className="notice notice--warning" data-testid="details-check-needed" role="region" aria-labelledby="verify-heading">
        <h2 id="verify-heading">Check the details of this account</h2>
        <p>
          This account was registered with your address by someone who never confirmed it. Before we look up or link anything, check its name and
          delivery address.
        </p>
        <p>
          <Link to="/account/profile" className="button">
            Check the details
          </Link>
        </p>
      </div>
    );
  }
  return (
    <div className="notice notice--warning" data-testid="verification-pending" role="region" aria-labelledby="verify-heading">
      <h2 id="verify-heading">Please confirm your email address</h2>
      <p>
        {`We sent a confirmation link to ${pending.email}. Open it and press Confirm to finish setting up your account: until then we do not look up or link your order history.`}
        {pending.removeAfter ? ` An account that is not confirmed by ${pending.removeAfter} is removed.` : ""}
      </p>
      {pending.mailProblem ? <p>We are having trouble sending mail right now; we keep trying, or you can ask again below.</p> : null}
      <CodeForm label="Or type the code from the mail" />
      <PostForm>
        <FormError errors={answer && "formErrors" in answer ? answer.formErrors : undefined} />
        <IntentButton intent="resend-verification" secondary>
          {busy ? "Sending…" : "Send the link again"}
        </IntentButton>
      </PostForm>
    </div>
  );
}

export function PendingEmailChange({ change, current, withCode }: { change: { email: string; since: string }; current: string; withCode: boolean }) {
  return (
    <div className="notice" data-testid="email-change-pending" role="region" aria-labelledby="change-heading">
      <h2 id="change-heading">Your new email address is waiting for confirmation</h2>
      <p>{`You asked on ${change.since} to use ${change.email}. We sent a link and a code there. Until you confirm it, sign in with ${current}.`}</p>
      {withCode ? <CodeForm label="Type the code from the mail to the new address" /> : null}
      <PostForm>
        <IntentButton intent="cancel-email-change" secondary>
          Cancel the change
        </IntentButton>
      </PostForm>
    </div>
  );
}
