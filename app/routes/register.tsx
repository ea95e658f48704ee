// /register?step=1..4: the registration stepper. Each step posts to the server (works without
// JavaScript); the answers so far live in the server-side session and are re-validated on submit.
import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { commitSession, getCurrentUser, getSession, signIn } from "~/auth/session.server";
import { CsrfInput, Field, FormError } from "~/components/forms";
import {
  AccountSchema,
  DeliverySchema,
  EMAIL_TAKEN,
  HistorySchema,
  PersonalSchema,
  STEP_SCHEMAS,
  STEP_TITLES,
  type RegistrationDraft,
  type Step,
} from "~/customers/registration-schema";
import { emailTaken, firstIncompleteStep, registerCustomer } from "~/customers/registration.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Register${data ? ` · Step ${data.step} of 4: ${STEP_TITLES[data.step]}` : ""} · Cangoods` },
];

const AnyStep = z.looseObject({});


const parseStep = (v: unknown): Step | null => (v === "1" || v === "2" || v === "3" || v === "4" ? (Number(v) as Step) : null);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request, context.app);
  if (user) throw redirect(user.role === "admin" ? "/admin" : "/account");
  const session = await getSession(request, context.app);
  const draft = session.get("registration") ?? {};
  const furthest = firstIncompleteStep(draft);
  const asked = parseStep(new URL(request.url).searchParams.get("step")) ?? furthest;
  // No skipping ahead: a step is shown only when every step before it has valid answers.
  if (asked > furthest) throw redirect(`/register?step=${furthest}`);
  return { step: asked, draft };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const app = context.app;
  const formData = await request.formData();
  const step = parseStep(formData.get("step"));
  if (!step) return data({ status: "error", error: { "": ["Something went wrong with this form. Please start again."] } } as SubmissionResult, { status: 400 });
  const session = await getSession(request, app);
  const draft: RegistrationDraft = { ...(session.get("registration") ?? {}) };
  const intent = formData.get("intent");
  const submission = parseWithZod(formData, { schema: STEP_SCHEMAS[step] });
  const save = async (to: string) => {
    session.set("registration", draft);
    return redirect(to, { headers: { "Set-Cookie": await commitSession(session, app) } });
  };

  if (intent === "back") {
    // Going back keeps what was typed on this step when it is valid (passwords are never kept).
    if (submission.status === "success") assign(draft, step, submission.value);
    return save(`/register?step=${Math.max(1, step - 1)}`);
  }
  if (submission.status !== "success") return data(submission.reply({ hideFields: ["password", "confirmPassword"] }), { status: 400 });

  if (step === 1) {
    const personal = submission.value as RegistrationDraft["personal"] & object;
    if (await emailTaken(app, personal.email)) return data(submission.reply({ fieldErrors: { email: [EMAIL_TAKEN] } }), { status: 409 });
  }
  if (step < 4) {
    assign(draft, step, submission.value);
    return save(`/register?step=${step + 1}`);
  }

  const result = await registerCustomer(app, draft, (submission.value as { password: string }).password);
  if (!result.ok) {
    if (result.reason === "incomplete") return save(`/register?step=${result.step ?? 1}`);
    return data(submission.reply({ formErrors: [`${EMAIL_TAKEN} Sign in instead, or go back and use another email.`], hideFields: ["password", "confirmPassword"] }), { status: 409 });
  }
  return redirect("/account?welcome=1", { headers: { "Set-Cookie": await signIn(request, app, result.userId) } });
}

function assign(draft: RegistrationDraft, step: Step, value: unknown) {
  if (step === 1) draft.personal = value as RegistrationDraft["personal"];
  if (step === 2) draft.history = value as RegistrationDraft["history"];
  if (step === 3) draft.delivery = value as RegistrationDraft["delivery"];
}

export default function Register() {
  const { step, draft } = useLoaderData<typeof loader>();
  return (
    <section className="card narrow" aria-labelledby="register-title">
      <h1 id="register-title">Create your Cangoods account</h1>
      <p className="muted" id="step-count">{`Step ${step} of 4: ${STEP_TITLES[step]}`}</p>
      <ol className="steps" aria-label="Registration steps">
        {([1, 2, 3, 4] as Step[]).map((s) => (
          <li key={s} aria-current={s === step ? "step" : undefined}>
            {`${s}. ${STEP_TITLES[s]}`}
          </li>
        ))}
      </ol>
      {step === 1 ? <PersonalStep draft={draft} /> : null}
      {step === 2 ? <HistoryStep draft={draft} /> : null}
      {step === 3 ? <DeliveryStep draft={draft} /> : null}
      {step === 4 ? <AccountStep draft={draft} /> : null}
      <p className="muted">
        Already have an account? <Link to="/login">Sign in</Link>
      </p>
    </section>
  );
}

type StepProps = { draft: RegistrationDraft };

function StepButtons({ step }: { step: Step }) {
  const busy = useNavigation().state === "submitting";
  return (
    <div className="actions">
      {step > 1 ? (
        <button type="submit" name="intent" value="back" className="button--secondary" formNoValidate disabled={busy}>
          Back
        </button>
      ) : null}
      <button type="submit" name="intent" value="next" disabled={busy}>
        {step === 4 ? (busy ? "Creating your account…" : "Create account") : "Continue"}
      </button>
    </div>
  );
}

function useStepForm(schema: (typeof STEP_SCHEMAS)[Step], defaultValue: Record<string, unknown> | undefined) {
  const lastResult = useActionData<typeof action>();
  return useForm({
    lastResult,
    defaultValue: defaultValue as never,
    constraint: getZodConstraint(schema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    // "Back" must not be blocked by this step's errors: it is validated only for keeping values.
    onValidate: ({ formData }) => parseWithZod(formData, { schema: formData.get("intent") === "back" ? AnyStep : schema }),
  });
}

function PersonalStep({ draft }: StepProps) {
  const [form, fields] = useStepForm(PersonalSchema, draft.personal);
  const taken = fields.email.errors?.includes(EMAIL_TAKEN);
  return (
    <Form method="post" {...getFormProps(form)} aria-describedby="step-count">
      <CsrfInput />
      <input type="hidden" name="step" value="1" />
      <FormError errors={form.errors} />
      <Field label="First name" htmlFor={fields.firstName.id} errorId={fields.firstName.errorId} errors={fields.firstName.errors}>
        <input {...getInputProps(fields.firstName, { type: "text" })} autoComplete="given-name" />
      </Field>
      <Field label="Last name" htmlFor={fields.lastName.id} errorId={fields.lastName.errorId} errors={fields.lastName.errors}>
        <input {...getInputProps(fields.lastName, { type: "text" })} autoComplete="family-name" />
      </Field>
      <Field label="Email" htmlFor={fields.email.id} errorId={fields.email.errorId} errors={fields.email.errors}>
        <input {...getInputProps(fields.email, { type: "email" })} autoComplete="email" />
      </Field>
      {taken ? (
        <p>
          <Link to="/login">Sign in with this email</Link> or use a different one.
        </p>
      ) : null}
      <Field
        label="Mobile number"
        hint="For delivery updates, e.g. 0917 123 4567"
        hintId={`${fields.phone.id}-hint`}
        htmlFor={fields.phone.id}
        errorId={fields.phone.errorId}
        errors={fields.phone.errors}
      >
        <input {...getInputProps(fields.phone, { type: "tel" })} autoComplete="tel" aria-describedby={`${fields.phone.id}-hint ${fields.phone.errorId}`} />
      </Field>
      <StepButtons step={1} />
    </Form>
  );
}

function HistoryStep({ draft }: StepProps) {
  const [form, fields] = useStepForm(HistorySchema, draft.history);
  const field = fields.customerType;
  return (
    <Form method="post" {...getFormProps(form)}>
      <CsrfInput />
      <input type="hidden" name="step" value="2" />
      <FormError errors={form.errors} />
      <fieldset className="choice-cards" aria-describedby={`history-help ${field.errorId}`} aria-invalid={field.errors ? true : undefined}>
        <legend>
          <h2>Have you ordered from Cangoods before?</h2>
        </legend>
        <p id="history-help">This helps us link your order history to your new account.</p>
        <label className="choice-card">
          <input type="radio" name={field.name} value="new" defaultChecked={field.initialValue === "new"} required />
          <span>
            <strong>I&apos;m a new customer</strong>
            This is my first time ordering from Cangoods
          </span>
        </label>
        <label className="choice-card">
          <input type="radio" name={field.name} value="returning" defaultChecked={field.initialValue === "returning"} required />
          <span>
            <strong>I&apos;m a returning customer</strong>
            I&apos;ve ordered from Cangoods before and want to link my previous order history to this account
          </span>
        </label>
        <div id={field.errorId} aria-live="polite" className="field-errors">
          {field.errors?.map((e) => (
            <p key={e} className="error">
              {e}
            </p>
          ))}
        </div>
      </fieldset>
      <StepButtons step={2} />
    </Form>
  );
}

function DeliveryStep({ draft }: StepProps) {
  const [form, fields] = useStepForm(DeliverySchema, draft.delivery);
  const method = fields.deliveryMethod;
  const f = fields as unknown as Record<"addressLine1" | "addressLine2" | "city" | "province" | "postalCode", typeof fields.deliveryMethod>;
  const pickup = method.value === "pickup";
  return (
    <Form method="post" {...getFormProps(form)}>
      <CsrfInput />
      <input type="hidden" name="step" value="3" />
      <FormError errors={form.errors} />
      <fieldset className="choice-cards" aria-describedby={method.errorId}>
        <legend>
          <h2>How would you like to get your orders?</h2>
        </legend>
        <label className="choice-card">
          <input type="radio" name={method.name} value="delivery" defaultChecked={method.initialValue === "delivery"} required />
          <span>
            <strong>Delivery</strong>
            We bring your order to your address
          </span>
        </label>
        <label className="choice-card">
          <input type="radio" name={method.name} value="pickup" defaultChecked={method.initialValue === "pickup"} required />
          <span>
            <strong>Pickup</strong>
            You collect your order from our store
          </span>
        </label>
        <div id={method.errorId} aria-live="polite">
          {method.errors?.map((e) => (
            <p key={e} className="error">
              {e}
            </p>
          ))}
        </div>
      </fieldset>
      {pickup ? null : (
        <fieldset>
          <legend>Delivery address (only needed for delivery)</legend>
          <Field label="Street address" htmlFor={f.addressLine1.id} errorId={f.addressLine1.errorId} errors={f.addressLine1.errors}>
            <input {...getInputProps(f.addressLine1, { type: "text" })} required={false} autoComplete="address-line1" />
          </Field>
          <Field label="Unit, building (optional)" htmlFor={f.addressLine2.id} errorId={f.addressLine2.errorId} errors={f.addressLine2.errors}>
            <input {...getInputProps(f.addressLine2, { type: "text" })} required={false} autoComplete="address-line2" />
          </Field>
          <Field label="City or municipality" htmlFor={f.city.id} errorId={f.city.errorId} errors={f.city.errors}>
            <input {...getInputProps(f.city, { type: "text" })} required={false} autoComplete="address-level2" />
          </Field>
          <Field label="Province" htmlFor={f.province.id} errorId={f.province.errorId} errors={f.province.errors}>
            <input {...getInputProps(f.province, { type: "text" })} required={false} autoComplete="address-level1" />
          </Field>
          <Field label="Postal code" htmlFor={f.postalCode.id} errorId={f.postalCode.errorId} errors={f.postalCode.errors}>
            <input {...getInputProps(f.postalCode, { type: "text" })} required={false} inputMode="numeric" autoComplete="postal-code" />
          </Field>
        </fieldset>
      )}
      <StepButtons step={3} />
    </Form>
  );
}

function AccountStep({ draft }: StepProps) {
  const [form, fields] = useStepForm(AccountSchema, undefined);
  const p = draft.personal!;
  const d = draft.delivery!;
  return (
    <Form method="post" {...getFormProps(form)}>
      <CsrfInput />
      <input type="hidden" name="step" value="4" />
      <FormError errors={form.errors} />
      <h2>Review</h2>
      <dl className="facts review">
        <dt>Name</dt>
        <dd>
          {`${p.firstName} ${p.lastName}`} <Link to="/register?step=1" aria-label="Edit your details">Edit</Link>
        </dd>
        <dt>Email</dt>
        <dd>{p.email}</dd>
        <dt>Mobile</dt>
        <dd>{p.phone}</dd>
        <dt>Ordered before</dt>
        <dd>
          {draft.history!.customerType === "returning" ? "Yes, link my order history" : "No, I'm new"}{" "}
          <Link to="/register?step=2" aria-label="Edit whether you ordered before">Edit</Link>
        </dd>
        <dt>Delivery</dt>
        <dd>
          {d.deliveryMethod === "delivery" ? [d.addressLine1, d.addressLine2, d.city, d.province, d.postalCode].filter(Boolean).join(", ") : "Pickup at the store"}{" "}
          <Link to="/register?step=3" aria-label="Edit delivery">Edit</Link>
        </dd>
      </dl>
      <h2>Choose a password</h2>
      <Field label="Password" hint="At least 10 characters" hintId={`${fields.password.id}-hint`} htmlFor={fields.password.id} errorId={fields.password.errorId} errors={fields.password.errors}>
        <input {...getInputProps(fields.password, { type: "password" })} autoComplete="new-password" />
      </Field>
      <Field label="Confirm password" htmlFor={fields.confirmPassword.id} errorId={fields.confirmPassword.errorId} errors={fields.confirmPassword.errors}>
        <input {...getInputProps(fields.confirmPassword, { type: "password" })} autoComplete="new-password" />
      </Field>
      <StepButtons step={4} />
    </Form>
  );
}
