// /account/delete: the customer deletes their account after typing the password again. Their data goes from
// Postgres (see app/customers/account-closure.server.ts for what is removed and what is kept); the Zoho contact
// stays in Zoho, the shop's accounting record, and admins see that its account was deleted by the customer.
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Link, useActionData, useNavigation } from "@remix-run/react";
import { requireCustomer } from "~/auth/guards.server";
import { clientAddress, keepRetryAfter, waitInWords } from "~/auth/rate-limit.server";
import { redirectWithToast } from "~/auth/toast.server";
import { Field, FormError, PostForm } from "~/components/forms";
import { deleteAccount } from "~/customers/account-closure.server";
import { DeleteAccountSchema } from "~/customers/account-schemas";

export const meta: MetaFunction = () => [{ title: "Delete my account · Cangoods" }];

export const headers = keepRetryAfter;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireCustomer(request, context.app);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const app = context.app;
  const user = await requireCustomer(request, app);
  const submission = parseWithZod(await request.formData(), { schema: DeleteAccountSchema });
  if (submission.status !== "success") return data(submission.reply({ hideFields: ["password"] }), { status: 400 });
  const result = await deleteAccount(app, user.id, submission.value.password, clientAddress(request));
  if (!result.ok) {
    if (result.reason === "limited")
      return data(submission.reply({ formErrors: [`Too many attempts. Please try again ${waitInWords(result.retryAfterSeconds)}.`], hideFields: ["password"] }), {
        status: 429,
        headers: { "Retry-After": String(result.retryAfterSeconds) },
      });
    return data(submission.reply({ fieldErrors: { password: ["That is not your password."] }, hideFields: ["password"] }), { status: 400 });
  }
  // The session row went with the account: a fresh anonymous session (replacing this browser's cookie) carries the toast.
  return redirectWithToast(new Request(request.url), app, "/", { kind: "success", message: "Your account is deleted. Thank you for shopping with Cangoods." });
}

export default function DeleteAccount() {
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult,
    constraint: getZodConstraint(DeleteAccountSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: DeleteAccountSchema }),
  });
  return (
    <section className="card narrow" aria-labelledby="delete-title">
      <p>
        <Link to="/account">← My account</Link>
      </p>
      <h1 id="delete-title">Delete my account</h1>
      <p>Deleting your account cannot be undone. We remove:</p>
      <ul>
        <li>your sign-in, your name, email address, mobile number and delivery address;</li>
        <li>the history of your account and of its link to your order history;</li>
        <li>every place you are signed in, and any link or code we mailed you.</li>
      </ul>
      <p>
        We keep your invoices and orders in our accounting (Zoho Books): the law asks a shop to keep its accounting records, and they are not part of
        this website. You can register again later with the same address.
      </p>
      <p>
        <a href="/account/data" download>
          Download my data first
        </a>
      </p>
      <PostForm {...getFormProps(form)}>
        <FormError errors={form.errors} />
        <Field label="Your password" field={fields.password}>
          <input {...getInputProps(fields.password, { type: "password" })} autoComplete="current-password" />
        </Field>
        <div className="actions">
          <button type="submit" className="button--danger" disabled={busy}>
            {busy ? "Deleting…" : "Delete my account"}
          </button>
          <Link to="/account">Keep my account</Link>
        </div>
      </PostForm>
    </section>
  );
}
