// /account: the customer's own page. What is pending (confirming the address, a new address, checking the
// details of a taken-back account) with the code form, the details, and the links to change or delete them.
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireCustomer } from "~/auth/guards.server";
import { clientAddress, keepRetryAfter, waitInWords } from "~/auth/rate-limit.server";
import { redirectWithToast } from "~/auth/toast.server";
import { resendVerification, verificationState } from "~/auth/verification.server";
import { formatAddress, formatDate, formatDateTime } from "~/components/format";
import { customerForUser, pendingEmailChange } from "~/customers/account.server";
import { AccountIntentSchema, ConfirmCodeSchema } from "~/customers/account-schemas";
import { confirmWithCode } from "~/customers/confirm-code.server";
import { cancelEmailChange } from "~/customers/email-change.server";
import { historyNotice } from "~/customers/history-access";
import { zohoUpdateNotice } from "~/customers/zoho-update-notice";
import { profileUpdateOf } from "~/sync/profile-updates.server";
import { refusedAddresses } from "~/email/outbox.server";
import { isEmailVerified } from "~/sync/link-vetting.server";
import { PendingVerification, PendingEmailChange } from "./pending-sections";

export const meta: MetaFunction = () => [{ title: "My account · Cangoods" }];

export const headers = keepRetryAfter;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireCustomer(request, context.app);
  const verification = await verificationState(context.app, user.id);
  const pending = verification.verified
    ? null
    : {
        email: verification.email,
        removeAfter: verification.removeAfter ? formatDate(verification.removeAfter) : null,
        mailProblem: verification.mailProblem,
        takenBack: verification.takenBack,
      };
  const change = await pendingEmailChange(context.app.db, user.id);
  const newEmail = change ? { email: change.email, since: formatDateTime(change.since) } : null;
  // Addresses of this account a relay refused for good (the current one, or the new one waiting): mail to them
  // is not retried, so the customer is told here.
  const undeliverable = (await refusedAddresses(context.app.db, user.id))
    .filter((r) => [user.email, change?.email].some((a) => a?.toLowerCase() === r.address.toLowerCase()))
    .map((r) => ({ address: r.address, reply: r.reply, current: r.address.toLowerCase() === user.email.toLowerCase() }));
  const customer = await customerForUser(context.app.db, user.id);
  if (!customer) return { email: user.email, pending, newEmail, undeliverable, customer: null, history: null, toZoho: null };
  const update = await profileUpdateOf(context.app.db, customer.id);
  return {
    toZoho: update ? zohoUpdateNotice({ ...update, sentAt: update.sentAt ? formatDateTime(update.sentAt) : null }) : null,
    email: user.email,
    pending,
    newEmail,
    undeliverable,
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

const CODE_PROBLEM = {
  none: "There is no code waiting: it expired (codes work for 15 minutes), was used, or was typed wrong 5 times. Ask for a new mail below.",
  check_details: "First check the details of this account (see above).",
  taken: "That address is now used by another account, so it was not changed.",
  changed: "That code was for an address this account no longer uses.",
} as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const app = context.app;
  const user = await requireCustomer(request, app);
  const formData = await request.formData();
  if (formData.get("intent") === "confirm-code") {
    const submission = parseWithZod(formData, { schema: ConfirmCodeSchema });
    // The code's own rules show on the field; what the server found (wrong, expired, limited) is said for the form.
    const answer = (formErrors?: string[]) => ({ intent: "confirm-code" as const, result: submission.reply(formErrors ? { formErrors } : undefined) });
    if (submission.status !== "success") return data(answer(), { status: 400 });
    const result = await confirmWithCode(app, user.id, submission.value.code, clientAddress(request));
    if (result.ok)
      return redirectWithToast(request, app, "/account", {
        kind: "success",
        message: result.confirmed === "address" ? "Thank you: your email address is confirmed." : "Your new email address is confirmed: sign in with it from now on.",
      });
    if (result.reason === "limited")
      return data(answer([`Too many codes typed. Please try again ${waitInWords(result.retryAfterSeconds)}.`]), {
        status: 429,
        headers: { "Retry-After": String(result.retryAfterSeconds) },
      });
    if (result.reason === "wrong") return data(answer([`That is not the code. ${result.triesLeft} ${result.triesLeft === 1 ? "try" : "tries"} left for this code.`]), { status: 400 });
    return data(answer([CODE_PROBLEM[result.reason]]), { status: 400 });
  }
  const submission = parseWithZod(formData, { schema: AccountIntentSchema });
  if (submission.status !== "success") return data({ intent: "unknown", formErrors: ["Unknown action. Please reload the page."] }, { status: 400 });
  if (submission.value.intent === "cancel-email-change") {
    await cancelEmailChange(app, user.id);
    return redirectWithToast(request, app, "/account", { kind: "info", message: "The change of email address is cancelled." });
  }
  const result = await resendVerification(app, user.id, clientAddress(request));
  if (!result.ok) {
    return data(
      { intent: "resend-verification", formErrors: [`We just sent you a link. You can ask for another one ${waitInWords(result.retryAfterSeconds)}.`] },
      { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
    );
  }
  return redirectWithToast(request, app, "/account", {
    kind: result.sent ? "success" : "info",
    message: result.sent ? "A new confirmation link is on its way. Check your inbox (and the spam folder)." : "Your email address is already confirmed.",
  });
}

export default function Account() {
  const { email, pending, newEmail, undeliverable, customer, history, toZoho } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <section className="card narrow" aria-labelledby="account-title">
      <h1 id="account-title">My account</h1>
      {params.get("confirmed") ? (
        <p role="status" className="toast toast--success account__welcome">
          Thank you: your email address is confirmed.
        </p>
      ) : null}
      {undeliverable.map((u) => (
        <div key={u.address} className="notice notice--warning" data-testid="mail-undeliverable" role="alert">
          <h2>{`We cannot deliver mail to ${u.address}`}</h2>
          <p>{`The receiving mail server refused this address ("${u.reply}"), so we stopped sending to it. Check that it is spelled right and that the mailbox exists.`}</p>
          <p>
            {u.current ? <Link to="/account/email">Use another email address</Link> : "Cancel the change below and ask again with another address."}
          </p>
        </div>
      ))}
      {pending ? <PendingVerification pending={pending} /> : null}
      {newEmail ? <PendingEmailChange change={newEmail} current={email} withCode={!pending} /> : null}
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
          {toZoho ? (
            <p className={`notice${toZoho.state === "look" ? " notice--warning" : ""}`} data-testid="zoho-update-status" role="status">
              {toZoho.text}
            </p>
          ) : null}
          {pending?.takenBack ? null : (
            <p className="actions">
              <Link to="/account/profile">Edit my details</Link>
              <Link to="/account/email">Change my email address</Link>
            </p>
          )}
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
      <h2>Your data</h2>
      <p className="actions">
        <a href="/account/data" download>
          Download my data (JSON)
        </a>
        <Link to="/account/delete">Delete my account</Link>
      </p>
    </section>
  );
}
