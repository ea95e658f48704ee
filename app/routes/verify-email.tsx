// /verify-email?token=…: the link from the confirmation mail. Opening it changes nothing (mail scanners open
// every link first): the page says which account asks and offers Confirm and "This wasn't me", both POSTs.
// Confirm works in the browser that registered or one signed in to the account; anywhere else it asks to sign
// in and comes back here. "This wasn't me" removes the unconfirmed account at once (docs/decisions/022).
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { clientAddress, keepRetryAfter, tooManyAttempts } from "~/auth/rate-limit.server";
import { getCurrentUser, registeredHere, signIn } from "~/auth/session.server";
import { redirectWithToast } from "~/auth/toast.server";
import { confirmEmail, viewVerifyLink } from "~/auth/verification.server";
import { formatDateTime } from "~/components/format";
import { FormError } from "~/components/forms";
import { MailLinkForms } from "~/components/mail-link-forms";
import { MailLinkActionSchema } from "~/customers/account-schemas";
import { disownRegistration } from "~/customers/account-closure.server";

export const meta: MetaFunction = () => [{ title: "Confirm your email · Cangoods" }];

export const headers = keepRetryAfter;

const LIMITED = "Too many attempts with this link or from here";

const REFUSED = {
  unknown: "This confirmation link is not valid.",
  used: "This confirmation link has already been used.",
  expired: "This confirmation link has expired (links work for 24 hours).",
  changed: "This confirmation link was sent to an address the account no longer uses.",
} as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const app = context.app;
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const [view, user, registered] = await Promise.all([viewVerifyLink(app, token), getCurrentUser(request, app), registeredHere(request, app)]);
  const signedIn = !!user && user.role === "customer";
  if (!view.ok) {
    if (view.reason === "already") return { state: "already" as const, signedIn, mine: user?.id === view.userId };
    return { state: "refused" as const, problem: REFUSED[view.reason], signedIn };
  }
  const mine = user?.id === view.userId || registered === view.userId;
  return {
    state: "ask" as const,
    token,
    email: view.email,
    name: view.name,
    registeredAt: formatDateTime(view.registeredAt),
    mine,
    otherAccount: !!user && user.id !== view.userId ? user.email : null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const app = context.app;
  const submission = parseWithZod(await request.formData(), { schema: MailLinkActionSchema });
  if (submission.status !== "success") return data({ formErrors: ["This confirmation link is incomplete. Open it again from the mail."] }, { status: 400 });
  const { token, intent } = submission.value;
  const here = `/verify-email?token=${encodeURIComponent(token)}`;
  const address = clientAddress(request);
  if (intent === "not-me") {
    const result = await disownRegistration(app, token, address);
    if (result.ok)
      return redirectWithToast(request, app, "/register", {
        kind: "success",
        message: "Thank you: that account is removed and nothing of it was kept. The address is free: you can register with it yourself.",
      });
    if (result.reason === "limited") return tooManyAttempts(result.retryAfterSeconds, LIMITED);
    if (result.reason === "confirmed")
      return data({ formErrors: ["This address was already confirmed, so the account was not removed. If you did not create it, choose a new password (Forgot your password?) to take it over, then delete it."] }, { status: 409 });
    return data({ formErrors: [REFUSED[result.reason]] }, { status: 410 });
  }
  const user = await getCurrentUser(request, app);
  const result = await confirmEmail(app, token, { signedInUserId: user?.id ?? null, registeredUserId: await registeredHere(request, app), clientAddress: address });
  if (result.ok) {
    // The browser that registered is signed in now: the person proved the address and chose the password here.
    if (user?.id === result.userId) return redirect("/account?confirmed=1");
    return redirect("/account?confirmed=1", { headers: { "Set-Cookie": await signIn(request, app, result.userId) } });
  }
  switch (result.reason) {
    case "sign_in":
      if (user) return data({ formErrors: [`You are signed in as ${user.email}, which is not the account this link confirms. Sign out, then sign in to the account that registered.`] }, { status: 403 });
      return redirectWithToast(request, app, `/login?redirectTo=${encodeURIComponent(here)}`, {
        kind: "info",
        message: "Sign in to the account this link confirms, and you come straight back to press Confirm.",
      });
    case "limited":
      return tooManyAttempts(result.retryAfterSeconds, LIMITED);
    case "already":
      return redirect(user ? "/account?confirmed=1" : `/login?redirectTo=${encodeURIComponent("/account")}`);
    case "check_details":
      return redirect("/account/profile");
    default:
      return data({ formErrors: [REFUSED[result.reason]] }, { status: 410 });
  }
}


export default function VerifyEmail() {
  const view = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  if (view.state !== "ask") {
    return (
      <section className="card narrow" aria-labelledby="verify-title">
        <h1 id="verify-title">Confirm your email</h1>
        {view.state === "already" ? (
          <p role="status">This email address is already confirmed.</p>
        ) : (
          <p role="alert" className="form-error">
            {view.problem}
          </p>
        )}
        <p>
          {view.signedIn ? (
            <Link to="/account">Go to your account</Link>
          ) : (
            <>
              <Link to="/login?redirectTo=%2Faccount">Sign in</Link> to see whether your address is confirmed and to get a new link.
            </>
          )}
        </p>
      </section>
    );
  }
  return (
    <section className="card narrow" aria-labelledby="verify-title" data-testid="confirm-email">
      <h1 id="verify-title">Confirm your email address</h1>
      <p data-testid="confirm-account">
        {`A Cangoods account was registered with ${view.email} on ${view.registeredAt}${view.name ? `, under the name ${view.name}` : ""}.`}
      </p>
      <FormError errors={answer?.formErrors} />
      <MailLinkForms
        token={view.token}
        mine={view.mine}
        otherAccount={view.otherAccount}
        confirmText={{
          mine: "If this is your account, confirm that this address is yours.",
          elsewhere: "If this is your account, confirm that this address is yours: you will be asked to sign in first, then come back here.",
        }}
        notMeText="If you did not create this account, remove it now. Nothing about you was looked up or shared, and the address is free again."
      />
    </section>
  );
}
