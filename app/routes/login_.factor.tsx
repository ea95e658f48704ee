// /login/factor: the second step of an admin's sign-in, after the right password (issue 23). A passkey when
// the admin has one (JavaScript needed), or the code from their authenticator app, or one of their recovery
// codes (each works once).
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { useEffect } from "react";
import { Link, useActionData, useLoaderData, useSubmit } from "@remix-run/react";
import { recordAdminAction } from "~/audit/audit.server";
import { verifyFactorCode, refusedCodeMessage, refusedPasskeyMessage, verifyPasskeySignIn } from "~/auth/factors/check.server";
import { signInOptions } from "~/auth/factors/passkey.server";
import { factorSummary } from "~/auth/factors/store.server";
import { clientAddress, keepRetryAfter, waitInWords } from "~/auth/rate-limit.server";
import { FactorSchema, PasskeySignInSchema } from "~/auth/schemas";
import { commitSession, getSession, signIn } from "~/auth/session.server";
import { CODE_OR_RECOVERY_HINT, CodeField } from "~/components/code-field";
import { FormError, IntentButton, PostForm, useCsrfToken } from "~/components/forms";
import { PasskeyStatus, usePasskeyCeremony } from "~/components/passkey";

export const meta: MetaFunction = () => [{ title: "Second step of signing in · Cangoods" }];

export const headers = keepRetryAfter;

async function pendingAdmin(request: Request, context: LoaderFunctionArgs["context"]) {
  const session = await getSession(request, context.app);
  const pending = session.get("pendingAdmin");
  // No password step in this browser (or it is over 10 minutes old): start from the password.
  if (!pending) throw redirect("/login");
  return { pending, session };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { pending } = await pendingAdmin(request, context);
  return { passkeys: (await factorSummary(context.app.db, pending.userId)).passkeys > 0 };
}

type Answer = { result?: SubmissionResult<string[]>; passkeyOptions?: unknown; passkeyErrors?: string[] };

export async function action({ request, context }: ActionFunctionArgs) {
  const app = context.app;
  const { pending, session } = await pendingAdmin(request, context);
  const formData = await request.formData();
  const intent = formData.get("intent");
  const refused = (reason: string) => recordAdminAction(app.db, { adminId: pending.userId, action: "factor.check_failed", clientAddress: clientAddress(request), reason });
  if (intent === "passkey-options") {
    const passkeyOptions = await signInOptions(app, session, pending.userId);
    if (!passkeyOptions) return data<Answer>({ passkeyErrors: ["This account has no passkey. Type a code below."] }, { status: 400 });
    return data<Answer>({ passkeyOptions }, { headers: { "Set-Cookie": await commitSession(session, app) } });
  }
  if (intent === "passkey") {
    const parsed = PasskeySignInSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) return data<Answer>({ passkeyErrors: parsed.error.issues.map((i) => i.message) }, { status: 400 });
    const check = await verifyPasskeySignIn(app, { userId: pending.userId, response: parsed.data.response, clientAddress: clientAddress(request), session });
    if (!check.ok) {
      await refused(`passkey: ${check.reason}`);
      const answer = { passkeyErrors: [refusedPasskeyMessage(check, waitInWords)] };
      if (check.reason === "wait") return data<Answer>(answer, { status: 429, headers: { "Retry-After": String(check.retryAfterSeconds) } });
      return data<Answer>(answer, { status: 400 });
    }
    const cookie = await signIn(request, app, pending.userId, { factorCheckedAt: new Date() });
    return redirect(pending.redirectTo, { headers: { "Set-Cookie": cookie } });
  }
  const submission = parseWithZod(formData, { schema: FactorSchema });
  if (submission.status !== "success") return data<Answer>({ result: submission.reply({ hideFields: ["code"] }) }, { status: 400 });
  const check = await verifyFactorCode(app, { userId: pending.userId, code: submission.value.code, clientAddress: clientAddress(request) });
  if (!check.ok) {
    await refused(check.reason);
    const result = submission.reply({ fieldErrors: { code: [refusedCodeMessage(check, waitInWords)] }, hideFields: ["code"] });
    if (check.reason === "wait") return data<Answer>({ result }, { status: 429, headers: { "Retry-After": String(check.retryAfterSeconds) } });
    return data<Answer>({ result }, { status: 400 });
  }
  const cookie = await signIn(request, app, pending.userId, { factorCheckedAt: new Date() });
  return redirect(pending.redirectTo, { headers: { "Set-Cookie": cookie } });
}

/** "Sign in with a passkey": shown when the admin has one; without JavaScript it explains and the code form remains. */
function PasskeySignIn({ errors }: { errors?: string[] }) {
  const submit = useSubmit();
  const csrf = useCsrfToken();
  const passkey = usePasskeyCeremony("sign-in", (response) => submit({ intent: "passkey", response, csrf }, { method: "post" }));
  const { clear } = passkey;
  // The server's answer (an alert) replaces the progress shown so far.
  useEffect(() => {
    if (errors?.length) clear();
  }, [errors, clear]);
  return (
    <>
      <h2>With a passkey</h2>
      <PostForm
        aria-label="Sign in with a passkey"
        onSubmit={(event) => {
          event.preventDefault();
          passkey.start();
        }}
      >
        <FormError errors={errors} />
        <div className="actions">
          <IntentButton intent="passkey" disabled={passkey.busy || passkey.supported === false}>
            Sign in with a passkey
          </IntentButton>
        </div>
        <PasskeyStatus status={passkey.supported === false ? "This browser cannot use passkeys. Type a code below instead." : passkey.status} testId="passkey-status" />
        <noscript>
          <p className="hint">Passkeys need JavaScript, which is off in this browser. Type a code below instead.</p>
        </noscript>
      </PostForm>
      <h2>Or with a code</h2>
    </>
  );
}

export default function SecondFactor() {
  const { passkeys } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const lastResult = answer?.result;
  const [form, fields] = useForm({
    lastResult,
    constraint: getZodConstraint(FactorSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: FactorSchema }),
  });
  return (
    <section className="card narrow" aria-labelledby="factor-title">
      <h1 id="factor-title">One more step</h1>
      <p>Your password was right. Now prove it is you with your second factor.</p>
      {passkeys ? <PasskeySignIn errors={answer?.passkeyErrors} /> : null}
      <PostForm {...getFormProps(form)}>
        <FormError errors={form.errors} />
        <CodeField field={fields.code} hint={CODE_OR_RECOVERY_HINT} />
        <div className="actions">
          <IntentButton intent="verify">Continue</IntentButton>
          <Link to="/login">Start again</Link>
        </div>
      </PostForm>
      <p className="hint">Lost your phone and your recovery codes? The shop's owner can reset your factors.</p>
    </section>
  );
}
