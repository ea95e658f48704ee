// /account/profile: the customer edits name, mobile number and delivery (registration's rules). For a
// taken-back account (its owner reset the password of an account someone else registered) the same form is
// the check before anything syncs, with "ordered before?" too; saving it confirms the account.
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireCustomer } from "~/auth/guards.server";
import { redirectWithToast } from "~/auth/toast.server";
import { verificationState } from "~/auth/verification.server";
import { AddressFieldset } from "~/components/address-fields";
import { ChoiceCards, DELIVERY_CHOICES, HISTORY_CHOICES } from "~/components/choice-cards";
import { formatDateTime } from "~/components/format";
import { ErrorList, Field, FormError, PostForm } from "~/components/forms";
import { customerForUser } from "~/customers/account.server";
import { DetailsCheckSchema, ProfileSchema } from "~/customers/account-schemas";
import { checkDetails, updateProfile } from "~/customers/profile.server";

export const meta: MetaFunction = () => [{ title: "My details · Cangoods" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireCustomer(request, context.app);
  const customer = await customerForUser(context.app.db, user.id);
  if (!customer) throw redirect("/account");
  const verification = await verificationState(context.app, user.id);
  return {
    takenBack: !verification.verified && verification.takenBack,
    registeredAt: formatDateTime(customer.createdAt),
    values: {
      firstName: customer.firstName,
      lastName: customer.lastName,
      phone: customer.phone,
      deliveryMethod: customer.deliveryMethod,
      addressLine1: customer.addressLine1 ?? "",
      addressLine2: customer.addressLine2 ?? "",
      city: customer.city ?? "",
      province: customer.province ?? "",
      postalCode: customer.postalCode ?? "",
      customerType: customer.isReturningCustomer ? "returning" : "new",
    },
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const app = context.app;
  const user = await requireCustomer(request, app);
  const formData = await request.formData();
  const verification = await verificationState(app, user.id);
  const takenBack = !verification.verified && verification.takenBack;
  if (takenBack) {
    const submission = parseWithZod(formData, { schema: DetailsCheckSchema });
    if (submission.status !== "success") return data(submission.reply(), { status: 400 });
    const result = await checkDetails(app, user.id, submission.value);
    if (!result.ok) return data(submission.reply({ formErrors: ["This account does not need this check any more. Reload the page."] }), { status: 409 });
    return redirectWithToast(request, app, "/account", { kind: "success", message: "Thank you: the details are saved and the account is yours. We link your order history now." });
  }
  const submission = parseWithZod(formData, { schema: ProfileSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await updateProfile(app, user.id, submission.value);
  if (!result.ok) return data(submission.reply({ formErrors: ["Reload the page: this account needs its details checked first."] }), { status: 409 });
  return redirectWithToast(request, app, "/account", {
    kind: result.changed.length ? "success" : "info",
    message: !result.changed.length ? "Nothing changed." : result.toZoho ? "Your details are saved. We are sending them to our accounts system." : "Your details are saved.",
  });
}

export default function Profile() {
  const { takenBack, registeredAt, values } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const schema = takenBack ? DetailsCheckSchema : ProfileSchema;
  const [form, fields] = useForm({
    lastResult,
    defaultValue: values,
    constraint: getZodConstraint(schema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  const f = fields as unknown as Record<"firstName" | "lastName" | "phone" | "deliveryMethod" | "addressLine1" | "addressLine2" | "city" | "province" | "postalCode" | "customerType", typeof fields.deliveryMethod>;
  const pickup = f.deliveryMethod.value === "pickup";
  const text = (field: typeof f.city, autoComplete: string, extra: { inputMode?: "numeric" | "tel"; type?: "text" | "tel" } = {}) => (
    <input {...getInputProps(field, { type: extra.type ?? "text" })} autoComplete={autoComplete} inputMode={extra.inputMode} />
  );
  return (
    <section className="card narrow" aria-labelledby="profile-title">
      <p>
        <Link to="/account">← My account</Link>
      </p>
      <h1 id="profile-title">{takenBack ? "Check the details of this account" : "My details"}</h1>
      {takenBack ? (
        <p className="notice notice--warning" data-testid="details-check">
          {`This account was registered with your address on ${registeredAt} by someone who never confirmed it. Nothing was looked up or linked. Check every detail below and correct what is not yours: saving confirms the account, and only then do we link your order history.`}
        </p>
      ) : null}
      <PostForm {...getFormProps(form)}>
        <FormError errors={form.errors} />
        <Field label="First name" field={f.firstName}>
          {text(f.firstName, "given-name")}
        </Field>
        <Field label="Last name" field={f.lastName}>
          {text(f.lastName, "family-name")}
        </Field>
        <Field label="Mobile number" field={f.phone}>
          {text(f.phone, "tel", { type: "tel", inputMode: "tel" })}
        </Field>
        {takenBack ? (
          <fieldset className="choice-cards" aria-describedby={f.customerType.errorId}>
            <legend>
              <h2>Have you ordered from Cangoods before?</h2>
            </legend>
            <ChoiceCards field={f.customerType} choices={HISTORY_CHOICES} autoFocus={false} />
            <ErrorList id={f.customerType.errorId} errors={f.customerType.errors} />
          </fieldset>
        ) : null}
        <fieldset className="choice-cards" aria-describedby={f.deliveryMethod.errorId}>
          <legend>
            <h2>How would you like to get your orders?</h2>
          </legend>
          <ChoiceCards field={f.deliveryMethod} choices={DELIVERY_CHOICES} autoFocus={false} />
          <ErrorList id={f.deliveryMethod.errorId} errors={f.deliveryMethod.errors} />
        </fieldset>
        {pickup ? null : <AddressFieldset fields={f} input={text} />}
        <div className="actions">
          <button type="submit" disabled={busy}>
            {takenBack ? "These details are right: confirm my account" : "Save my details"}
          </button>
          <Link to="/account">Cancel</Link>
        </div>
      </PostForm>
    </section>
  );
}
