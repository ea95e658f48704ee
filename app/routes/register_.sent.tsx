// /register/sent: the one answer to a registration. It is the same whether an account was created or the
// address already had one (then its owner got a mail instead): nothing here tells the person typing which.
import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { getCurrentUser, getSession } from "~/auth/session.server";

export const meta: MetaFunction = () => [{ title: "Check your email · Cangoods" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request, context.app);
  if (user) throw redirect(user.role === "admin" ? "/admin" : "/account");
  const registered = (await getSession(request, context.app)).get("registered");
  if (!registered) throw redirect("/register");
  return { email: registered.email };
}

export default function RegistrationSent() {
  const { email } = useLoaderData<typeof loader>();
  return (
    <section className="card narrow" aria-labelledby="sent-title" data-testid="registration-sent">
      <h1 id="sent-title">Check your email</h1>
      <p>{`We sent a message to ${email}. Open it to finish: the link shows your account and a Confirm button.`}</p>
      <ul>
        <li>Opened in this browser, Confirm works straight away.</li>
        <li>On another device (your phone, say), sign in with the password you just chose, then press Confirm.</li>
        <li>If the link does not open, sign in and type the 8-character code from the mail on your account page.</li>
      </ul>
      <p>Until you confirm, we do not look up or link any order history. No mail after a few minutes? Check the spam folder, or sign in and ask for it again.</p>
      <p>
        <Link to="/login?redirectTo=%2Faccount" className="button">
          Sign in
        </Link>
      </p>
    </section>
  );
}
