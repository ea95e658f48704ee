import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { SESSION_ENDED } from "~/auth/guards.server";
import { clientAddress, keepRetryAfter, waitInWords } from "~/auth/rate-limit.server";
import { safeRedirect } from "~/auth/safe-redirect";
import { LoginSchema } from "~/auth/schemas";
import { hasSecondFactor } from "~/auth/factors/store.server";
import { getCurrentUser, signIn, startFactorStep } from "~/auth/session.server";
import { authenticate } from "~/auth/sign-in.server";
import { Field, FormError, PostForm } from "~/components/forms";

export const meta: MetaFunction = () => [{ title: "Sign in · Cangoods" }];

export const headers = keepRetryAfter;

// Strangers have been guessing this account's password: the password alone no longer signs in (right or
// wrong, the answer is the same); the emailed reset link is the proof (docs/decisions/024).
const PROVE_IT_IS_YOU =
  "For your security, this account needs one more step before it can be signed in. If the password was right, we have emailed a link to the account's address: open it to choose a new password, then sign in with it.";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request, context.app);
  const params = new URL(request.url).searchParams;
  if (user) throw redirect(safeRedirect(params.get("redirectTo"), user.role === "admin" ? "/admin" : "/account"));
  // An admin session that ended for want of activity (the guard sends it here): say so, and come back after.
  return { idleMinutes: params.get("ended") === SESSION_ENDED.idle ? context.app.env.ADMIN_IDLE_MINUTES : null };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: LoginSchema });
  if (submission.status !== "success") return data(submission.reply({ hideFields: ["password"] }), { status: 400 });
  const result = await authenticate(context.app, {
    ...submission.value,
    clientAddress: clientAddress(request),
  });
  if (!result.ok) {
    const reply = (message: string) => submission.reply({ formErrors: [message], hideFields: ["password"] });
    if (result.reason === "wait") {
      const message = `Too many failed sign-ins from here. Please try again ${waitInWords(result.retryAfterSeconds)}, or reset your password.`;
      return data(reply(message), { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } });
    }
    if (result.reason === "prove") return data(reply(PROVE_IT_IS_YOU), { status: 403 });
    return data(reply("That email and password do not match an account."), { status: 400 });
  }
  const fallback = result.user.role === "admin" ? "/admin" : "/account";
  const to = safeRedirect(submission.value.redirectTo, fallback);
  // An admin with a second factor gives it next; one without is signed in and sent to set one up (the guard).
  if (result.user.role === "admin" && (await hasSecondFactor(context.app.db, result.user.id)))
    return redirect("/login/factor", { headers: { "Set-Cookie": await startFactorStep(request, context.app, result.user.id, to) } });
  return redirect(to, { headers: { "Set-Cookie": await signIn(request, context.app, result.user.id) } });
}

export default function Login() {
  const lastResult = useActionData<typeof action>();
  const { idleMinutes } = useLoaderData<typeof loader>();
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
      {idleMinutes !== null ? (
        <p className="notice notice--warning" role="status" data-testid="session-ended">
          {`You were signed out after ${idleMinutes} minutes without activity. Sign in again to go back where you were.`}
        </p>
      ) : null}
      <PostForm {...getFormProps(form)}>
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <FormError errors={form.errors} />
        <Field label="Email" field={fields.email}>
          <input {...getInputProps(fields.email, { type: "email" })} autoComplete="email" />
        </Field>
        <Field label="Password" field={fields.password}>
          <input {...getInputProps(fields.password, { type: "password" })} autoComplete="current-password" />
        </Field>
        <div className="actions">
          <button type="submit" disabled={navigation.state === "submitting"}>
            {navigation.state === "submitting" ? "Signing in…" : "Sign in"}
          </button>
          <Link to="/forgot-password">Forgot your password?</Link>
        </div>
      </PostForm>
    </section>
  );
}
