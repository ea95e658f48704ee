// /account/email: ask for a new email address (password typed again). The new address gets a link and a
// code; the current one a notice with a 7-day undo. Until the new one is confirmed nothing changes for
// signing in. The answer is the same whether or not the new address is in use (its owner is mailed instead).
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireCustomer } from "~/auth/guards.server";
import { clientAddress, keepRetryAfter, waitInWords } from "~/auth/rate-limit.server";
import { redirectWithToast } from "~/auth/toast.server";
import { Field, FormError, PostForm } from "~/components/forms";
import { ChangeEmailSchema } from "~/customers/account-schemas";
import { requestEmailChange } from "~/customers/email-change.server";

export const meta: MetaFunction = () => [{ title: "Change my email address · Cangoods" }];

export const headers = keepRetryAfter;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireCustomer(request, context.app);
  return { email: user.email };
}

const REFUSED = {
  password: "That is not your password.",
  same: "That is already your email address.",
  check_details: "First check the details of this account on your account page.",
} as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const app = context.app;
  const user = await requireCustomer(request, app);
  const submission = parseWithZod(await request.formData(), { schema: ChangeEmailSchema });
  if (submission.status !== "success") return data(submission.reply({ hideFields: ["password"] }), { status: 400 });
  const result = await requestEmailChange(app, user.id, submission.value, clientAddress(request));
  if (result.ok)
    return redirectWithToast(request, app, "/account", {
      kind: "success",
      message: `We sent a link and a code to ${submission.value.newEmail}. Until you confirm it there, keep signing in with ${user.email}.`,
    });
  if (result.reason === "limited")
    return data(submission.reply({ formErrors: [`Too many attempts. Please try again ${waitInWords(result.retryAfterSeconds)}.`], hideFields: ["password"] }), {
      status: 429,
      headers: { "Retry-After": String(result.retryAfterSeconds) },
    });
  const fieldErrors: Record<string, string[]> | undefined =
    result.reason === "password" ? { password: [REFUSED.password] } : result.reason === "same" ? { newEmail: [REFUSED.same] } : undefined;
  return data(submission.reply({ fieldErrors, formErrors: fieldErrors ? undefined : [REFUSED[result.reason]], hideFields: ["password"] }), { status: 400 });
}

export default function ChangeEmail() {
  const { email } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult,
    constraint: getZodConstraint(ChangeEmailSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ChangeEmailSchema }),
  });
  return (
    <section className="card narrow" aria-labelledby="email-title">
      <p>
        <Link to="/account">← My account</Link>
      </p>
      <h1 id="email-title">Change my email address</h1>
      <p>{`Your address now is ${email}. We send a link and a code to the new address; it replaces this one once you confirm it there. This address gets a notice with a way to undo the change for 7 days.`}</p>
      <PostForm {...getFormProps(form)}>
        <FormError errors={form.errors} />
        <Field label="New email address" field={fields.newEmail}>
          <input {...getInputProps(fields.newEmail, { type: "email" })} autoComplete="email" />
        </Field>
        <Field label="Your password" field={fields.password}>
          <input {...getInputProps(fields.password, { type: "password" })} autoComplete="current-password" />
        </Field>
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? "Sending…" : "Send the confirmation"}
          </button>
          <Link to="/account">Cancel</Link>
        </div>
      </PostForm>
    </section>
  );
}
