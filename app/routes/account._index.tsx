import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireCustomer } from "~/auth/guards.server";
import { clientAddress, keepRetryAfter, waitInWords } from "~/auth/rate-limit.server";
import { ResendVerificationSchema } from "~/auth/schemas";
import { redirectWithToast } from "~/auth/toast.server";
import { resendVerification, verificationState } from "~/auth/verification.server";
import { formatAddress, formatDate } from "~/components/format";
import { CsrfInput, FormError } from "~/components/forms";
import { customerForUser } from "~/customers/account.server";
import { historyNotice } from "~/customers/history-access";
import { isEmailVerified } from "~/sync/link-vetting.server";

export const meta: MetaFunction = () => [{ title: "My account · Cangoods" }];

export const headers = keepRetryAfter;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireCustomer(request, context.app);
  const verification = await verificationState(context.app, user.id);
  const pending = verification.verified
    ? null
    : { email: verification.email, removeAfter: verification.removeAfter ? formatDate(verification.removeAfter) : null, mailProblem: verification.mailProblem };
  const customer = await customerForUser(context.app.db, user.id);
  if (!customer) return { email: user.email, pending, customer: null, history: null };
  return {
    email: user.email,
    pending,
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

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireCustomer(request, context.app);
  const submission = parseWithZod(await request.formData(), { schema: ResendVerificationSchema });
  if (submission.status !== "success") return data({ formErrors: ["Unknown action. Please reload the page."] }, { status: 400 });
  const result = await resendVerification(context.app, user.id, clientAddress(request));
  if (!result.ok) {
    return data(
      { formErrors: [`We just sent you a link. You can ask for another one ${waitInWords(result.retryAfterSeconds)}.`] },
      { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
    );
  }
  return redirectWithToast(request, context.app, "/account", {
    kind: result.sent ? "success" : "info",
    message: result.sent ? "A new confirmation link is on its way. Check your inbox (and the spam folder)." : "Your email address is already confirmed.",
  });
}

function PendingVerification({ pending }: { pending: { email: string; removeAfter: string | null; mailProblem: boolean } }) {
  const answer = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="notice notice--warning" data-testid="verification-pending" role="region" aria-labelledby="verify-heading">
      <h2 id="verify-heading">Please confirm your email address</h2>
      <p>
        {`We sent a confirmation link to ${pending.email}. Open it to finish setting up your account: until then we do not look up or link your order history.`}
        {pending.removeAfter ? ` An account that is not confirmed by ${pending.removeAfter} is removed.` : ""}
      </p>
      {pending.mailProblem ? <p>We are having trouble sending mail right now; we keep trying, or you can ask again below.</p> : null}
      <Form method="post">
        <CsrfInput />
        <FormError errors={answer?.formErrors} />
        <button type="submit" name="intent" value="resend-verification" className="button--secondary" disabled={busy}>
          {busy ? "Sending…" : "Send the link again"}
        </button>
      </Form>
    </div>
  );
}

export default function Account() {
  const { email, pending, customer, history } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <section className="card narrow" aria-labelledby="account-title">
      <h1 id="account-title">My account</h1>
      {params.get("welcome") ? (
        <p role="status" className="toast toast--success account__welcome">
          {pending ? "Welcome to Cangoods! Your account is created: one more step, confirm your email address." : "Welcome to Cangoods! Your account is ready."}
        </p>
      ) : null}
      {pending ? <PendingVerification pending={pending} /> : null}
      {customer ? (
        <>
          <dl className="facts">
            <dt>Name</dt>
            <dd>{customer.name}</dd>
            <dt>Email</dt>
            <dd>
              {customer.email}
              {pending ? " (not confirmed yet)" : " (confirmed)"}
            </dd>
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
