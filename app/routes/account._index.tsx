import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireCustomer } from "~/auth/guards.server";
import { customerForUser } from "~/customers/account.server";
import { formatAddress } from "~/components/format";
import { historyNotice } from "~/customers/history-access";
import { isEmailVerified } from "~/sync/link-vetting.server";

export const meta: MetaFunction = () => [{ title: "My account · Cangoods" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireCustomer(request, context.app);
  const customer = await customerForUser(context.app.db, user.id);
  if (!customer) return { email: user.email, customer: null, history: null };
  return {
    email: user.email,
    customer: {
      name: `${customer.firstName} ${customer.lastName}`,
      email: customer.email,
      phone: customer.phone,
      delivery: formatAddress(customer),
      returning: customer.isReturningCustomer,
      linked: !!customer.zohoContactId,
    },
    history: historyNotice(customer, await isEmailVerified(context.app.db, customer)),
  };
}

export default function Account() {
  const { email, customer, history } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <section className="card narrow" aria-labelledby="account-title">
      <h1 id="account-title">My account</h1>
      {params.get("welcome") ? (
        <p role="status" className="toast toast--success account__welcome">
          Welcome to Cangoods! Your account is ready.
        </p>
      ) : null}
      {customer ? (
        <>
          <dl className="facts">
            <dt>Name</dt>
            <dd>{customer.name}</dd>
            <dt>Email</dt>
            <dd>{customer.email}</dd>
            <dt>Mobile</dt>
            <dd>{customer.phone}</dd>
            <dt>Delivery</dt>
            <dd>{customer.delivery}</dd>
          </dl>
          {history ? (
            <div className={`history history--${history.state}`} data-testid="history-status">
              <h2>Your order history</h2>
              <p>{history.text}</p>
            </div>
          ) : null}
          <p>
            <Link to="/account/orders">See my orders</Link>
          </p>
        </>
      ) : (
        <p>{`Signed in as ${email}. There is no customer profile on this account yet; please contact us.`}</p>
      )}
    </section>
  );
}
