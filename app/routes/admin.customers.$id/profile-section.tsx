import { useLoaderData } from "@remix-run/react";
import { formatAddress, formatDateTime } from "~/components/format";
import type { DetailLoader } from "./page-types";

/** Who the account is: what the admin compares every Zoho contact against. */
export function ProfileSection() {
  const { customer, account } = useLoaderData<DetailLoader>();
  return (
    <section className="card" aria-labelledby="customer-title">
      <h1 id="customer-title">
        {customer.firstName} {customer.lastName}
      </h1>
      <dl className="facts">
        <dt>Email</dt>
        <dd>
          {customer.email}{" "}
          <span className="muted" data-testid="email-verification">
            {account.emailVerified
              ? `(verified ${formatDateTime(account.emailVerifiedAt)})`
              : account.hasLogin
                ? "(not verified yet)"
                : "(no portal login)"}
          </span>
        </dd>
        <dt>Mobile</dt>
        <dd>{customer.phone}</dd>
        <dt>Delivery</dt>
        <dd>{formatAddress(customer, "Pickup")}</dd>
        <dt>Registered</dt>
        <dd>{formatDateTime(customer.createdAt)}</dd>
      </dl>
    </section>
  );
}
