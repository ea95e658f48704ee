// /forgot-password: asks for the email and sends a reset link. The answer is the same whether or not
// the address has an account, so the page cannot be used to find out who is a customer.
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Link, useActionData, useNavigation } from "@remix-run/react";
import { requestPasswordReset } from "~/auth/password-reset.server";
import { clientAddress, keepRetryAfter, waitInWords } from "~/auth/rate-limit.server";
import { ForgotPasswordSchema } from "~/auth/schemas";
import { Field, FormError, PostForm } from "~/components/forms";

export const meta: MetaFunction = () => [{ title: "Forgot your password? · Cangoods" }];

export const headers = keepRetryAfter;

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: ForgotPasswordSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), sentTo: null }, { status: 400 });
  const verdict = await requestPasswordReset(context.app, submission.value.email, clientAddress(request));
  if (!verdict.ok) {
    const message = `Too many reset requests. Please try again ${waitInWords(verdict.retryAfterSeconds)}.`;
    return data(
      { result: submission.reply({ formErrors: [message] }), sentTo: null },
      { status: 429, headers: { "Retry-After": String(verdict.retryAfterSeconds) } },
    );
  }
  return { result: submission.reply({ resetForm: true }), sentTo: submission.value.email };
}

export default function ForgotPassword() {
  const answer = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult: answer?.result,
    constraint: getZodConstraint(ForgotPasswordSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ForgotPasswordSchema }),
  });
  return (
    <section className="card narrow" aria-labelledby="forgot-title">
      <h1 id="forgot-title">Forgot your password?</h1>
      {answer?.sentTo ? (
        <p role="status" className="toast toast--success" data-testid="reset-sent">
          {`If ${answer.sentTo} belongs to an account, we have sent it a link to choose a new password. The link works once, for 1 hour. Nothing arrived? Check your spam folder, or ask again below.`}
        </p>
      ) : (
        <p>Enter the email address of your account and we will send you a link to choose a new password.</p>
      )}
      <PostForm {...getFormProps(form)}>
        <FormError errors={form.errors} />
        <Field label="Email" field={fields.email}>
          <input {...getInputProps(fields.email, { type: "email" })} autoComplete="email" />
        </Field>
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? "Sending…" : "Send me a reset link"}
          </button>
          <Link to="/login">Back to sign in</Link>
        </div>
      </PostForm>
    </section>
  );
}
