// /account: the customer's own page. What is pending (confirming the address, a new address, checking the
// details of a taken-back account) with the code form, the details, and the links to change or delete them.
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireCustomer } from "~/auth/guards.server";
import { clientAddress, keepRetryAfter, waitInWords } from "~/auth/rate-limit.server";
import { redirectWithToast } from "~/auth/toast.server";
import { resendVerification, verificationState } from "~/auth/verification.server";
import { formatAddress, formatDate, formatDateTime } from "~/components/format";
import { Field, FormError, IntentButton, PostForm, useBusy } from "~/components/forms";
import { customerForUser, pendingEmailChange } from "~/customers/account.server";
import { AccountIntentSchema, ConfirmCodeSchema } from "~/customers/account-schemas";
import { confirmWithCode } from "~/customers/confirm-code.server";
import { cancelEmailChange } from "~/customers/email-change.server";
import { historyNotice } from "~/customers/history-access";
import { zohoUpdateNotice } from "~/customers/zoho-update-notice";
import { profileUpdateOf } from "~/sync/profile-updates.server";
import { refusedAddresses } from "~/email/outbox.server";
import { isEmailVerified } from "~/sync/link-vetting.server";

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

function CodeForm({ label }: { label: string }) {
  const answer = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "confirm-code",
    lastResult: answer && "result" in answer ? answer.result : undefined,
    constraint: getZodConstraint(ConfirmCodeSchema),
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ConfirmCodeSchema }),
  });
  return (
    <PostForm {...getFormProps(form)} className="code-form">
      <FormError errors={form.errors} />
      <Field label={label} hint="8 letters and digits, from the mail; it works for 15 minutes." field={fields.code}>
        <input
          {...getInputProps(fields.code, { type: "text", ariaDescribedBy: fields.code.descriptionId })}
          inputMode="text"
          autoComplete="one-time-code"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={12}
        />
      </Field>
      <IntentButton intent="confirm-code">Confirm with the code</IntentButton>
    </PostForm>
  );
}

function PendingVerification({ pending }: { pending: { email: string; removeAfter: string | null; mailProblem: boolean; takenBack: boolean } }) {
  const answer = useActionData<typeof action>();
  const busy = useBusy();
  if (pending.takenBack) {
    return (
      <div className="notice notice--warning" data-testid="details-check-needed" role="region" aria-labelledby="verify-heading">
        <h2 id="verify-heading">Check the details of this account</h2>
        <p>
          This account was registered with your address by someone who never confirmed it. Before we look up or link anything, check its name and
          delivery address.
        </p>
        <p>
          <Link to="/account/profile" className="button">
            Check the details
          </Link>
        </p>
      </div>
    );
  }
  return (
    <div className="notice notice--warning" data-testid="verification-pending" role="region" aria-labelledby="verify-heading">
      <h2 id="verify-heading">Please confirm your email address</h2>
      <p>
        {`We sent a confirmation link to ${pending.email}. Open it and press Confirm to finish setting up your account: until then we do not look up or link your order history.`}
        {pending.removeAfter ? ` An account that is not confirmed by ${pending.removeAfter} is removed.` : ""}
      </p>
      {pending.mailProblem ? <p>We are having trouble sending mail right now; we keep trying, or you can ask again below.</p> : null}
      <CodeForm label="Or type the code from the mail" />
      <PostForm>
        <FormError errors={answer && "formErrors" in answer ? answer.formErrors : undefined} />
        <IntentButton intent="resend-verification" secondary>
          {busy ? "Sending…" : "Send the link again"}
        </IntentButton>
      </PostForm>
    </div>
  );
}

function PendingEmailChange({ change, current, withCode }: { change: { email: string; since: string }; current: string; withCode: boolean }) {
  return (
    <div className="notice" data-testid="email-change-pending" role="region" aria-labelledby="change-heading">
      <h2 id="change-heading">Your new email address is waiting for confirmation</h2>
      <p>{`You asked on ${change.since} to use ${change.email}. We sent a link and a code there. Until you confirm it, sign in with ${current}.`}</p>
      {withCode ? <CodeForm label="Type the code from the mail to the new address" /> : null}
      <PostForm>
        <IntentButton intent="cancel-email-change" secondary>
          Cancel the change
        </IntentButton>
      </PostForm>
    </div>
  );
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
