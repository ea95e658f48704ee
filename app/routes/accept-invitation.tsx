// /accept-invitation?token=…: the link of an owner's invitation to the admin console. Opening it only shows the
// page (a mail scanner's GET changes nothing); choosing a password (a POST) creates the admin account, uses the
// invitation up and signs the new admin in.
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { useActionData, useLoaderData } from "@remix-run/react";
import { acceptInvitation, checkInvitation, INVITATION_REFUSED } from "~/admin/invitations.server";
import { clientAddress } from "~/auth/rate-limit.server";
import { AcceptInvitationSchema } from "~/auth/schemas";
import { signIn } from "~/auth/session.server";
import { toastSetCookie } from "~/auth/toast.server";
import { formatDateTime } from "~/components/format";
import { Field, FormError, IntentButton, PostForm } from "~/components/forms";

export const meta: MetaFunction = () => [{ title: "Accept your invitation · Cangoods" }];

const ROLE_TEXT = {
  owner: "an owner: everything, including managing admins and the Zoho Books connection",
  staff: "staff: customers, review, linking and retries",
} as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const check = token ? await checkInvitation(context.app.db, token) : ({ ok: false, reason: "unknown" } as const);
  if (!check.ok) return { token: null, problem: INVITATION_REFUSED[check.reason], invitation: null };
  return { token, problem: null, invitation: { email: check.email, role: check.role, expiresAt: check.expiresAt } };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: AcceptInvitationSchema });
  const hide = { hideFields: ["password", "confirmPassword"] };
  if (submission.status !== "success") return data(submission.reply(hide), { status: 400 });
  const result = await acceptInvitation(context.app, submission.value.token, submission.value.password, clientAddress(request));
  if (!result.ok) return data(submission.reply({ ...hide, formErrors: [INVITATION_REFUSED[result.reason]] }), { status: 410 });
  const headers = new Headers();
  headers.append("Set-Cookie", await signIn(request, context.app, result.userId));
  headers.append("Set-Cookie", await toastSetCookie(context.app, { kind: "success", message: `Welcome: you are now ${result.role === "owner" ? "an owner" : "staff"} of the Cangoods admin console. Set up your second factor to continue.` }));
  // A new admin has no second factor yet: every admin page would send them to set one up (decision 034).
  return redirect("/admin/security", { headers });
}

export default function AcceptInvitation() {
  const { token, problem, invitation } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { token: token ?? "" },
    constraint: getZodConstraint(AcceptInvitationSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: AcceptInvitationSchema }),
  });
  if (!token || !invitation) {
    return (
      <section className="card narrow" aria-labelledby="invite-title">
        <h1 id="invite-title">Admin invitation</h1>
        <p role="alert" className="form-error">
          {problem}
        </p>
      </section>
    );
  }
  return (
    <section className="card narrow" aria-labelledby="invite-title">
      <h1 id="invite-title">Join the Cangoods admin console</h1>
      <p>
        You are invited as {ROLE_TEXT[invitation.role]}. You will sign in as <strong data-testid="invited-email">{invitation.email}</strong>.
      </p>
      <p className="muted">This link works once, until {formatDateTime(invitation.expiresAt)}.</p>
      <PostForm {...getFormProps(form)}>
        <input type="hidden" name="token" value={token} />
        <FormError errors={form.errors} />
        <Field label="Choose a password" hint="At least 10 characters" field={fields.password}>
          <input {...getInputProps(fields.password, { type: "password" })} autoComplete="new-password" aria-describedby={`${fields.password.descriptionId} ${fields.password.errorId}`} />
        </Field>
        <Field label="Confirm the password" field={fields.confirmPassword}>
          <input {...getInputProps(fields.confirmPassword, { type: "password" })} autoComplete="new-password" />
        </Field>
        <div className="actions">
          <IntentButton intent="accept">Become an admin</IntentButton>
        </div>
      </PostForm>
    </section>
  );
}
