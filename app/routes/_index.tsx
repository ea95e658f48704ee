import type { MetaFunction } from "@remix-run/cloudflare";
import { Link } from "@remix-run/react";

export const meta: MetaFunction = () => [
  { title: "Cangoods" },
  { name: "description", content: "Order goods from Cangoods: register once, and we link your order history." },
];

export default function Index() {
  return (
    <section className="card" aria-labelledby="home-title">
      <h1 id="home-title">Welcome to Cangoods</h1>
      <p>Quality goods, delivered or ready for pickup. Sign in to see your account and order history.</p>
      <p className="actions">
        <Link className="button" to="/register">
          Create an account
        </Link>
        <Link className="button button--secondary" to="/login">
          Sign in
        </Link>
      </p>
    </section>
  );
}
