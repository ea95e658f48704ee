// /register?step=1..4: the registration stepper. Each step posts to the server (works without
// JavaScript); the answers so far live in the server-side session and are re-validated on submit.
import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Form, isRouteErrorResponse, Link, useActionData, useLoaderData, useNavigation, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { z } from "zod";
import { commitSession, getCurrentUser, getSession, signIn } from "~/auth/session.server";
import { CsrfInput, ErrorList, Field, FormError } from "~/components/forms";
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
import { emailTaken, firstIncompleteStep, registerCustomer, savedAnswersNeedChecking } from "~/customers/registration.server";

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
  const params = new URL(request.url).searchParams;
  const asked = parseStep(params.get("step")) ?? furthest;
  // No skipping ahead: a step is shown only when every step before it has valid answers.
  if (asked > furthest) throw redirect(`/register?step=${furthest}`);
  // An Edit link from the review: after this step, go straight back to the review.
  return { step: asked, draft, editing: params.get("edit") === "1" && furthest === 4, recheck: savedAnswersNeedChecking(draft, asked) };
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
    const backToReview = formData.get("edit") === "1" && firstIncompleteStep(draft) === 4;
    return save(`/register?step=${backToReview ? 4 : step + 1}`);
  }

  const result = await registerCustomer(app, draft, (submission.value as { password: string }).password, {
    clientAddress: request.headers.get("CF-Connecting-IP"),
  });
  if (!result.ok) {
    if (result.reason === "incomplete") return save(`/register?step=${result.step ?? 1}`);
    // Taken between step 1 and now (another tab, another person): the review shows sign-in and edit links.
    return data(submission.reply({ formErrors: [EMAIL_TAKEN], hideFields: ["password", "confirmPassword"] }), { status: 409 });
  }
  return redirect("/account?welcome=1", { headers: { "Set-Cookie": await signIn(request, app, result.userId) } });
}

function assign(draft: RegistrationDraft, step: Step, value: unknown) {
  if (step === 1) draft.personal = value as RegistrationDraft["personal"];
  if (step === 2) draft.history = value as RegistrationDraft["history"];
  if (step === 3) draft.delivery = value as RegistrationDraft["delivery"];
}

export default function Register() {
  const { step, draft, editing, recheck } = useLoaderData<typeof loader>();
  const stepHeading = useRef<HTMLParagraphElement>(null);
  const firstRender = useRef(true);
  // With JavaScript, moving between steps is a client navigation: tell screen readers where they are.
  useEffect(() => {
    if (firstRender.current) firstRender.current = false;
    else stepHeading.current?.focus();
  }, [step]);
  return (
    <section className="card narrow register" aria-labelledby="register-title">
      <h1 id="register-title">Create your Cangoods account</h1>
      <p className="register__step" id="step-count" ref={stepHeading} tabIndex={-1}>{`Step ${step} of 4: ${STEP_TITLES[step]}`}</p>
      <ol className="steps" aria-label="Registration steps">
        {([1, 2, 3, 4] as Step[]).map((s) => (
          <li key={s} aria-current={s === step ? "step" : undefined} className={s < step ? "steps__done" : undefined}>
            {`${s}. ${STEP_TITLES[s]}`}
          </li>
        ))}
      </ol>
      {recheck ? (
        <p role="alert" className="form-error">
          Some answers on this step need checking before we can create your account.
        </p>
      ) : null}
      {step === 1 ? <PersonalStep draft={draft} editing={editing} /> : null}
      {step === 2 ? <HistoryStep draft={draft} editing={editing} /> : null}
      {step === 3 ? <DeliveryStep draft={draft} editing={editing} /> : null}
      {step === 4 ? <AccountStep draft={draft} /> : null}
      <p className="muted">
        Already have an account? <Link to="/login">Sign in</Link>
      </p>
    </section>
  );
}

/** A failure on submit (e.g. the database is down): nothing was saved and the answers are still in the session. */
export function ErrorBoundary() {
  const error = useRouteError();
  const root = useRouteLoaderData<{ requestId?: string }>("root");
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    <section className="card narrow" aria-labelledby="register-error-title">
      <h1 id="register-error-title">Sorry, something went wrong</h1>
      <p role="alert">
        {status === 404
          ? "We could not find that page."
          : "We couldn't create your account just now, and nothing was saved. Your answers are kept: please try again in a moment."}
      </p>
      <p>
        <a href="/register?step=4" className="button">
          Try again
        </a>
      </p>
      {root?.requestId ? (
        <p className="muted">
          If it keeps happening, contact us and mention this reference: <code>{root.requestId}</code>
        </p>
      ) : null}
    </section>
  );
}

type StepProps = { draft: RegistrationDraft; editing?: boolean };
type FieldLike = { name: string; errors?: string[] };

/** Without JavaScript the page reloads with errors: the first field to fix gets the focus (Conform does it with JS). */
function firstInvalid(fields: FieldLike[]) {
  return fields.find((f) => f.errors?.length)?.name;
}

function StepButtons({ step }: { step: Step }) {
  const busy = useNavigation().state === "submitting";
  return (
    <div className="actions register__actions">
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

function PersonalStep({ draft, editing }: StepProps) {
  const [form, fields] = useStepForm(PersonalSchema, draft.personal);
  const taken = fields.email.errors?.includes(EMAIL_TAKEN);
  const focus = firstInvalid([fields.firstName, fields.lastName, fields.email, fields.phone]);
  return (
    <Form method="post" {...getFormProps(form)} aria-describedby="step-count">
      <CsrfInput />
      <input type="hidden" name="step" value="1" />
      {editing ? <input type="hidden" name="edit" value="1" /> : null}
      <FormError errors={form.errors} />
      <Field label="First name" htmlFor={fields.firstName.id} errorId={fields.firstName.errorId} errors={fields.firstName.errors}>
        <input {...getInputProps(fields.firstName, { type: "text" })} autoComplete="given-name" autoFocus={focus === fields.firstName.name} />
      </Field>
      <Field label="Last name" htmlFor={fields.lastName.id} errorId={fields.lastName.errorId} errors={fields.lastName.errors}>
        <input {...getInputProps(fields.lastName, { type: "text" })} autoComplete="family-name" autoFocus={focus === fields.lastName.name} />
      </Field>
      <Field label="Email" htmlFor={fields.email.id} errorId={fields.email.errorId} errors={fields.email.errors}>
        <input {...getInputProps(fields.email, { type: "email" })} autoComplete="email" autoFocus={focus === fields.email.name} />
      </Field>
      {taken ? (
        <p className="register__taken">
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
        <input
          {...getInputProps(fields.phone, { type: "tel" })}
          autoComplete="tel"
          inputMode="tel"
          aria-describedby={`${fields.phone.id}-hint ${fields.phone.errorId}`}
          autoFocus={focus === fields.phone.name}
        />
      </Field>
      <StepButtons step={1} />
    </Form>
  );
}

type Choice = { value: string; tag: string; title: string; description: string };

/** Cards that are a real radio group: arrow keys move between them, the title is the name, the text the description. */
function ChoiceCards({ field, choices, autoFocus }: { field: { id: string; name: string; initialValue?: unknown; errors?: string[] }; choices: Choice[]; autoFocus: boolean }) {
  return choices.map((c, i) => (
    <label className="choice-card" key={c.value}>
      <input
        type="radio"
        name={field.name}
        value={c.value}
        defaultChecked={field.initialValue === c.value}
        required
        aria-labelledby={`${field.id}-${c.value}-title`}
        aria-describedby={`${field.id}-${c.value}-text`}
        aria-invalid={field.errors?.length ? true : undefined}
        autoFocus={autoFocus && i === 0}
      />
      <span className="choice-card__body">
        <span className="choice-card__tag" aria-hidden="true">
          {c.tag}
        </span>
        <strong id={`${field.id}-${c.value}-title`}>{c.title}</strong>
        <span id={`${field.id}-${c.value}-text`}>{c.description}</span>
      </span>
    </label>
  ));
}

const HISTORY_CHOICES: Choice[] = [
  { value: "new", tag: "New", title: "I'm a new customer", description: "This is my first time ordering from Cangoods" },
  {
    value: "returning",
    tag: "Return",
    title: "I'm a returning customer",
    description: "I've ordered from Cangoods before and want to link my previous order history to this account",
  },
];

const DELIVERY_CHOICES: Choice[] = [
  { value: "delivery", tag: "Deliver", title: "Delivery", description: "We bring your order to your address" },
  { value: "pickup", tag: "Pick up", title: "Pickup", description: "You collect your order from our store" },
];

function HistoryStep({ draft, editing }: StepProps) {
  const [form, fields] = useStepForm(HistorySchema, draft.history);
  const field = fields.customerType;
  return (
    <Form method="post" {...getFormProps(form)}>
      <CsrfInput />
      <input type="hidden" name="step" value="2" />
      {editing ? <input type="hidden" name="edit" value="1" /> : null}
      <FormError errors={form.errors} />
      <fieldset className="choice-cards" aria-describedby={`history-help ${field.errorId}`}>
        <legend>
          <h2>Have you ordered from Cangoods before?</h2>
        </legend>
        <p id="history-help">This helps us link your order history to your new account.</p>
        <ChoiceCards field={field} choices={HISTORY_CHOICES} autoFocus={!!field.errors?.length} />
        <ErrorList id={field.errorId} errors={field.errors} />
      </fieldset>
      <StepButtons step={2} />
    </Form>
  );
}

function DeliveryStep({ draft, editing }: StepProps) {
  const [form, fields] = useStepForm(DeliverySchema, draft.delivery);
  const method = fields.deliveryMethod;
  const f = fields as unknown as Record<"addressLine1" | "addressLine2" | "city" | "province" | "postalCode", typeof fields.deliveryMethod>;
  const pickup = method.value === "pickup";
  const focus = firstInvalid([method, f.addressLine1, f.addressLine2, f.city, f.province, f.postalCode]);
  const text = (field: typeof f.city, autoComplete: string, extra: { inputMode?: "numeric" } = {}) => (
    <input {...getInputProps(field, { type: "text" })} required={false} autoComplete={autoComplete} autoFocus={focus === field.name} {...extra} />
  );
  return (
    <Form method="post" {...getFormProps(form)}>
      <CsrfInput />
      <input type="hidden" name="step" value="3" />
      {editing ? <input type="hidden" name="edit" value="1" /> : null}
      <FormError errors={form.errors} />
      <fieldset className="choice-cards" aria-describedby={method.errorId}>
        <legend>
          <h2>How would you like to get your orders?</h2>
        </legend>
        <ChoiceCards field={method} choices={DELIVERY_CHOICES} autoFocus={focus === method.name} />
        <ErrorList id={method.errorId} errors={method.errors} />
      </fieldset>
      {pickup ? null : (
        <fieldset>
          <legend>Delivery address (only needed for delivery)</legend>
          <Field label="Street address" htmlFor={f.addressLine1.id} errorId={f.addressLine1.errorId} errors={f.addressLine1.errors}>
            {text(f.addressLine1, "address-line1")}
          </Field>
          <Field label="Unit, building (optional)" htmlFor={f.addressLine2.id} errorId={f.addressLine2.errorId} errors={f.addressLine2.errors}>
            {text(f.addressLine2, "address-line2")}
          </Field>
          <Field label="City or municipality" htmlFor={f.city.id} errorId={f.city.errorId} errors={f.city.errors}>
            {text(f.city, "address-level2")}
          </Field>
          <Field label="Province" htmlFor={f.province.id} errorId={f.province.errorId} errors={f.province.errors}>
            {text(f.province, "address-level1")}
          </Field>
          <Field label="Postal code" htmlFor={f.postalCode.id} errorId={f.postalCode.errorId} errors={f.postalCode.errors}>
            {text(f.postalCode, "postal-code", { inputMode: "numeric" })}
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
  const taken = form.errors?.includes(EMAIL_TAKEN);
  const focus = firstInvalid([fields.password, fields.confirmPassword]);
  return (
    <Form method="post" {...getFormProps(form)}>
      <CsrfInput />
      <input type="hidden" name="step" value="4" />
      <FormError errors={form.errors} />
      {taken ? (
        <p className="register__taken">
          <Link to="/login">Sign in with {p.email}</Link> or <Link to="/register?step=1">use a different email</Link>.
        </p>
      ) : null}
      <h2>Check your answers</h2>
      <dl className="facts review">
        <dt>Your details</dt>
        <dd>
          {`${p.firstName} ${p.lastName}`}
          <br />
          {p.email}
          <br />
          {p.phone}{" "}
          <Link to="/register?step=1&edit=1" aria-label="Edit your name, email and mobile number">
            Edit
          </Link>
        </dd>
        <dt>Ordered before</dt>
        <dd>
          {draft.history!.customerType === "returning" ? "Yes, link my order history" : "No, I'm new"}{" "}
          <Link to="/register?step=2&edit=1" aria-label="Edit whether you ordered before">
            Edit
          </Link>
        </dd>
        <dt>Delivery</dt>
        <dd>
          {d.deliveryMethod === "delivery" ? [d.addressLine1, d.addressLine2, d.city, d.province, d.postalCode].filter(Boolean).join(", ") : "Pickup at the store"}{" "}
          <Link to="/register?step=3&edit=1" aria-label="Edit delivery">
            Edit
          </Link>
        </dd>
      </dl>
      <h2>Choose a password</h2>
      <Field label="Password" hint="At least 10 characters" hintId={`${fields.password.id}-hint`} htmlFor={fields.password.id} errorId={fields.password.errorId} errors={fields.password.errors}>
        <input
          {...getInputProps(fields.password, { type: "password" })}
          autoComplete="new-password"
          aria-describedby={`${fields.password.id}-hint ${fields.password.errorId}`}
          autoFocus={focus === fields.password.name}
        />
      </Field>
      <Field label="Confirm password" htmlFor={fields.confirmPassword.id} errorId={fields.confirmPassword.errorId} errors={fields.confirmPassword.errors}>
        <input {...getInputProps(fields.confirmPassword, { type: "password" })} autoComplete="new-password" autoFocus={focus === fields.confirmPassword.name} />
      </Field>
      <StepButtons step={4} />
    </Form>
  );
}
