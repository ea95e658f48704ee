import type { MetaFunction } from "@remix-run/cloudflare";
import { Link } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Forgot your password? · Cangoods" }];

// Email sending is not built yet, so this page says what actually happens instead of pretending.
export default function ForgotPassword() {
  return (
    <section className="card narrow" aria-labelledby="forgot-title">
      <h1 id="forgot-title">Forgot your password?</h1>
      <p>
        We can't send password reset emails yet. Please contact our team at{" "}
        <a href="mailto:support@cangoods.example">support@cangoods.example</a> from the email address you registered
        with, and we'll help you get back into your account.
      </p>
      <p>
        <Link to="/login">Back to sign in</Link>
      </p>
    </section>
  );
}
