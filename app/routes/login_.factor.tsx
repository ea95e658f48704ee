// /login/factor: the second step of an admin's sign-in, after the right password (issue 23). The code from
// their authenticator app, or one of their recovery codes (each works once).
import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Link, useActionData } from "@remix-run/react";
import { recordAdminAction } from "~/audit/audit.server";
import { verifyFactorCode, refusedCodeMessage } from "~/auth/factors/check.server";
import { clientAddress, keepRetryAfter, waitInWords } from "~/auth/rate-limit.server";
import { FactorSchema } from "~/auth/schemas";
import { getSession, signIn } from "~/auth/session.server";
import { CODE_OR_RECOVERY_HINT, CodeField } from "~/components/code-field";
import { FormError, IntentButton, PostForm } from "~/components/forms";

export const meta: MetaFunction = () => [{ title: "Second step of signing in · Cangoods" }];

export const headers = keepRetryAfter;

async function pendingAdmin(request: Request, context: LoaderFunctionArgs["context"]) {
  const pending = (await getSession(request, context.app)).get("pendingAdmin");
  // No password step in this browser (or it is over 10 minutes old): start from the password.
  if (!pending) throw redirect("/login");
  return pending;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await pendingAdmin(request, context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const pending = await pendingAdmin(request, context);
  const submission = parseWithZod(await request.formData(), { schema: FactorSchema });
  if (submission.status !== "success") return data(submission.reply({ hideFields: ["code"] }), { status: 400 });
  const check = await verifyFactorCode(context.app, { userId: pending.userId, code: submission.value.code, clientAddress: clientAddress(request) });
  if (!check.ok) {
    await recordAdminAction(context.app.db, { adminId: pending.userId, action: "factor.check_failed", clientAddress: clientAddress(request), reason: check.reason });
    const reply = submission.reply({ fieldErrors: { code: [refusedCodeMessage(check, waitInWords)] }, hideFields: ["code"] });
    if (check.reason === "wait") return data(reply, { status: 429, headers: { "Retry-After": String(check.retryAfterSeconds) } });
    return data(reply, { status: 400 });
  }
  const cookie = await signIn(request, context.app, pending.userId, { factorCheckedAt: new Date() });
  return redirect(pending.redirectTo, { headers: { "Set-Cookie": cookie } });
}

export default function SecondFactor() {
  const lastResult = useActionData<typeof action>();
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
