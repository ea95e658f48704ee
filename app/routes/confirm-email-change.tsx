// /confirm-email-change?token=…: the link in the mail to a new address. Opening it changes nothing; Confirm
// (a POST) works only in a browser signed in to the account that asked, elsewhere it asks to sign in and
// comes back. "This wasn't me" drops the request (the new address's owner never asked for it).
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { clientAddress, keepRetryAfter, tooManyAttempts } from "~/auth/rate-limit.server";
import { getCurrentUser } from "~/auth/session.server";
import { redirectWithToast } from "~/auth/toast.server";
import { formatDateTime } from "~/components/format";
import { FormError } from "~/components/forms";
import { MailLinkForms } from "~/components/mail-link-forms";
import { MailLinkActionSchema } from "~/customers/account-schemas";
import { confirmEmailChange, refuseEmailChange, viewChangeLink } from "~/customers/email-change.server";

export const meta: MetaFunction = () => [{ title: "Confirm your new email address · Cangoods" }];

export const headers = keepRetryAfter;

const LIMITED = "Too many attempts with this link or from here";

const REFUSED = {
  unknown: "This link is not valid.",
  used: "This link has already been used.",
  expired: "This link has expired (links work for 24 hours). Ask for the change again from your account page.",
  changed: "This change is no longer waiting: it was confirmed, cancelled or replaced by a newer one.",
  taken: "That address is now used by another account, so it was not changed.",
} as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const [view, user] = await Promise.all([viewChangeLink(context.app, token), getCurrentUser(request, context.app)]);
  if (!view.ok) return { state: "refused" as const, problem: REFUSED[view.reason] };
  return {
    state: "ask" as const,
    token,
    newEmail: view.newEmail,
    name: view.name,
    registeredAt: formatDateTime(view.registeredAt),
    mine: user?.id === view.userId,
    otherAccount: !!user && user.id !== view.userId ? user.email : null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const app = context.app;
  const submission = parseWithZod(await request.formData(), { schema: MailLinkActionSchema });
  if (submission.status !== "success") return data({ formErrors: ["This link is incomplete. Open it again from the mail."] }, { status: 400 });
  const { token, intent } = submission.value;
  const address = clientAddress(request);
  if (intent === "not-me") {
    const result = await refuseEmailChange(app, token, address);
    if (result.ok) return redirectWithToast(request, app, "/", { kind: "success", message: "Thank you: nothing changes, and this address is not added to anyone's account." });
    if (result.reason === "limited") return tooManyAttempts(result.retryAfterSeconds, LIMITED);
    return data({ formErrors: [REFUSED[result.reason]] }, { status: 410 });
  }
  const user = await getCurrentUser(request, app);
  const result = await confirmEmailChange(app, token, { signedInUserId: user?.id ?? null, registeredUserId: null, clientAddress: address });
  if (result.ok) return redirectWithToast(request, app, "/account", { kind: "success", message: "Your new email address is confirmed: sign in with it from now on." });
  if (result.reason === "limited") return tooManyAttempts(result.retryAfterSeconds, LIMITED);
  if (result.reason === "sign_in") {
    if (user) return data({ formErrors: [`You are signed in as ${user.email}, which is not the account that asked. Sign out, then sign in to that account.`] }, { status: 403 });
    return redirectWithToast(request, app, `/login?redirectTo=${encodeURIComponent(`/confirm-email-change?token=${token}`)}`, {
      kind: "info",
      message: "Sign in (with your current address) and you come straight back to press Confirm.",
    });
  }
  if (result.reason === "taken") return data({ formErrors: [REFUSED.taken] }, { status: 409 });
  return data({ formErrors: [REFUSED[result.reason]] }, { status: 410 });
}


export default function ConfirmEmailChange() {
  const view = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  if (view.state !== "ask")
    return (
      <section className="card narrow" aria-labelledby="change-title">
        <h1 id="change-title">Confirm your new email address</h1>
        <p role="alert" className="form-error">
          {view.problem}
        </p>
        <p>
          <Link to="/account">Go to your account</Link>
        </p>
      </section>
    );
  return (
    <section className="card narrow" aria-labelledby="change-title" data-testid="confirm-email-change">
      <h1 id="change-title">Confirm your new email address</h1>
      <p>{`The Cangoods account${view.name ? ` of ${view.name}` : ""}, registered on ${view.registeredAt}, asked to use ${view.newEmail} from now on.`}</p>
      <FormError errors={answer?.formErrors} />
      <MailLinkForms
        token={view.token}
        mine={view.mine}
        otherAccount={view.otherAccount}
        confirmText={{
          mine: "If you asked for this, confirm it.",
          elsewhere: "If you asked for this, confirm it: you will be asked to sign in first (with your current address), then come back here.",
        }}
        notMeText="If you did not ask for this, drop the request: this address is not added to anyone's account."
      />
    </section>
  );
}
