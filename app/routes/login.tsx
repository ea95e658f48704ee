import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { LoginSchema, safeRedirect } from "~/auth/schemas";
import { getCurrentUser, signIn } from "~/auth/session.server";
import { authenticate } from "~/auth/sign-in.server";
import { CsrfInput, Field, FormError } from "~/components/forms";

export const meta: MetaFunction = () => [{ title: "Sign in · Cangoods" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request, context.app);
  if (user) throw redirect(user.role === "admin" ? "/admin" : "/account");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: LoginSchema });
  if (submission.status !== "success") return data(submission.reply({ hideFields: ["password"] }), { status: 400 });
  const result = await authenticate(context.app, {
    ...submission.value,
    clientAddress: request.headers.get("CF-Connecting-IP"),
  });
  if (!result.ok) {
    const message =
      result.reason === "locked"
        ? "Too many failed attempts. For your security, sign-in is paused for 15 minutes."
        : "That email and password do not match an account.";
    return data(submission.reply({ formErrors: [message], hideFields: ["password"] }), {
      status: result.reason === "locked" ? 429 : 400,
    });
  }
  const fallback = result.user.role === "admin" ? "/admin" : "/account";
  const to = safeRedirect(submission.value.redirectTo, fallback);
  return redirect(to, { headers: { "Set-Cookie": await signIn(request, context.app, result.user.id) } });
}

export default function Login() {
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    constraint: getZodConstraint(LoginSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LoginSchema }),
  });
  return (
    <section className="card narrow" aria-labelledby="login-title">
      <h1 id="login-title">Sign in</h1>
      <Form method="post" {...getFormProps(form)}>
        <CsrfInput />
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <FormError errors={form.errors} />
        <Field label="Email" htmlFor={fields.email.id} errorId={fields.email.errorId} errors={fields.email.errors}>
          <input {...getInputProps(fields.email, { type: "email" })} autoComplete="email" />
        </Field>
        <Field
          label="Password"
          htmlFor={fields.password.id}
          errorId={fields.password.errorId}
          errors={fields.password.errors}
        >
          <input {...getInputProps(fields.password, { type: "password" })} autoComplete="current-password" />
        </Field>
        <div className="actions">
          <button type="submit" disabled={navigation.state === "submitting"}>
            {navigation.state === "submitting" ? "Signing in…" : "Sign in"}
          </button>
          <Link to="/forgot-password">Forgot your password?</Link>
        </div>
      </Form>
    </section>
  );
}
