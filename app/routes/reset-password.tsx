// /reset-password?token=…: the link from the reset mail. The form shows only for a working link;
// submitting uses the link up, sets the password and signs the account out everywhere.
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { checkToken } from "~/email/link-tokens.server";
import { refusedCodeMessage } from "~/auth/factors/check.server";
import { resetNeedsFactor, resetPassword } from "~/auth/password-reset.server";
import { clientAddress, keepRetryAfter, waitInWords } from "~/auth/rate-limit.server";
import { ResetPasswordSchema } from "~/auth/schemas";
import { getSession, destroySession } from "~/auth/session.server";
import { redirectWithToast } from "~/auth/toast.server";
import { CodeField } from "~/components/code-field";
import { Field, FormError, PostForm } from "~/components/forms";

export const meta: MetaFunction = () => [{ title: "Choose a new password · Cangoods" }];

export const headers = keepRetryAfter;

const REFUSED: Record<"unknown" | "used" | "expired", string> = {
  unknown: "This reset link is not valid. Please ask for a new one.",
  used: "This reset link has already been used. Please ask for a new one if you still need it.",
  expired: "This reset link has expired (links work for 1 hour). Please ask for a new one.",
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const check = token ? await checkToken(context.app.db, token, "reset_password") : ({ ok: false, reason: "unknown" } as const);
  return { token: check.ok ? token : null, problem: check.ok ? null : REFUSED[check.reason], needsFactor: check.ok && (await resetNeedsFactor(context.app, check.userId)) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: ResetPasswordSchema });
  if (submission.status !== "success") return data(submission.reply({ hideFields: ["password", "confirmPassword"] }), { status: 400 });
  const result = await resetPassword(context.app, submission.value.token, submission.value.password, { code: submission.value.code, clientAddress: clientAddress(request) });
  if (!result.ok && result.reason === "factor") {
    const reply = submission.reply({ fieldErrors: { code: [refusedCodeMessage(result.check, waitInWords)] }, hideFields: ["password", "confirmPassword", "code"] });
    const wait = result.check.reason === "wait" ? result.check.retryAfterSeconds : null;
    return data(reply, { status: wait ? 429 : 400, headers: wait ? { "Retry-After": String(wait) } : undefined });
  }
  if (!result.ok) return data(submission.reply({ formErrors: [REFUSED[result.reason]], hideFields: ["password", "confirmPassword"] }), { status: 410 });
  // This browser's session (if any) was ended with all the others; start clean with a toast.
  const session = await getSession(request, context.app);
  await destroySession(session, context.app);
  return redirectWithToast(request, context.app, "/login", { kind: "success", message: "Your password has been changed and you were signed out everywhere. Sign in with the new password." });
}

export default function ResetPassword() {
  const { token, problem, needsFactor } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { token: token ?? "" },
    constraint: getZodConstraint(ResetPasswordSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ResetPasswordSchema }),
  });
  if (!token) {
    return (
      <section className="card narrow" aria-labelledby="reset-title">
        <h1 id="reset-title">Choose a new password</h1>
        <p role="alert" className="form-error">
          {problem}
        </p>
        <p>
          <Link to="/forgot-password">Ask for a new reset link</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="card narrow" aria-labelledby="reset-title">
      <h1 id="reset-title">Choose a new password</h1>
      <PostForm {...getFormProps(form)}>
        <input type="hidden" name="token" value={token} />
        <FormError errors={form.errors} />
        {form.errors?.length ? (
          <p>
            <Link to="/forgot-password">Ask for a new reset link</Link>
          </p>
        ) : null}
        <Field label="New password" hint="At least 10 characters" field={fields.password}>
          <input {...getInputProps(fields.password, { type: "password" })} autoComplete="new-password" aria-describedby={`${fields.password.descriptionId} ${fields.password.errorId}`} />
        </Field>
        <Field label="Confirm new password" field={fields.confirmPassword}>
          <input {...getInputProps(fields.confirmPassword, { type: "password" })} autoComplete="new-password" />
        </Field>
        {needsFactor ? (
          <CodeField field={fields.code} hint="This is an admin account: the 6-digit code from your authenticator app, or one of your recovery codes." required />
        ) : null}
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? "Saving…" : "Save the new password"}
          </button>
        </div>
      </PostForm>
    </section>
  );
}
