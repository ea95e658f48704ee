// /verify-email?token=…: the link from the confirmation mail. Opening it confirms the address (it
// works once, for 24 hours; opened again after that, it says the address is confirmed) and starts the Zoho sync at once. It works signed in or not (the mail
// may be opened on another device).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { getCurrentUser } from "~/auth/session.server";
import { redirectWithToast } from "~/auth/toast.server";
import { verifyEmail } from "~/auth/verification.server";

export const meta: MetaFunction = () => [{ title: "Confirm your email · Cangoods" }];

const REFUSED = {
  unknown: "This confirmation link is not valid.",
  used: "This confirmation link has already been used.",
  expired: "This confirmation link has expired (links work for 24 hours).",
  changed: "This confirmation link was sent to an address your account no longer uses.",
} as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const app = context.app;
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const user = await getCurrentUser(request, app);
  const result = token ? await verifyEmail(app, token) : ({ ok: false, reason: "unknown" } as const);
  if (result.ok) {
    const signedInHere = user?.id === result.userId;
    const confirmed = result.already ? "Your email address is already confirmed." : "Thank you: your email address is confirmed.";
    return redirectWithToast(request, app, signedInHere ? "/account" : "/login", {
      kind: "success",
      message: signedInHere ? confirmed : `${confirmed} Sign in to see your account.`,
    });
  }
  return { problem: REFUSED[result.reason], signedIn: !!user && user.role === "customer" };
}

export default function VerifyEmail() {
  const { problem, signedIn } = useLoaderData<typeof loader>();
  return (
    <section className="card narrow" aria-labelledby="verify-title">
      <h1 id="verify-title">Confirm your email</h1>
      <p role="alert" className="form-error">
        {problem}
      </p>
      <p>
        {signedIn ? (
          <>
            If your address is not confirmed yet, <Link to="/account">send a new link from your account page</Link>.
          </>
        ) : (
          <>
            <Link to="/login?redirectTo=%2Faccount">Sign in</Link> to see whether your address is confirmed and to get a new link.
          </>
        )}
      </p>
    </section>
  );
}
