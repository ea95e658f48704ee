// /register?step=1..4: the registration stepper. Each step posts to the server (works without
// JavaScript); the answers so far live in the server-side session and are re-validated on submit.
import { type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { isRouteErrorResponse, Link, useLoaderData, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { clientAddress, keepRetryAfter, waitInWords } from "~/auth/rate-limit.server";
import { commitSession, getCurrentUser, getSession } from "~/auth/session.server";
import { STEP_SCHEMAS, STEP_TITLES, type RegistrationDraft, type Step } from "~/customers/registration-schema";
import { firstIncompleteStep, registerCustomer, savedAnswersNeedChecking } from "~/customers/registration.server";
import { AccountStep } from "./account-step";
import { DeliveryStep } from "./delivery-step";
import { HistoryStep } from "./history-step";
import { PersonalStep } from "./personal-step";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Register${data ? ` · Step ${data.step} of 4: ${STEP_TITLES[data.step]}` : ""} · Cangoods` },
];

export const headers = keepRetryAfter;

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

  // No "already registered" on any step: the submit answers the same either way (docs/decisions/022).
  if (step < 4) {
    assign(draft, step, submission.value);
    const backToReview = formData.get("edit") === "1" && firstIncompleteStep(draft) === 4;
    return save(`/register?step=${backToReview ? 4 : step + 1}`);
  }

  const result = await registerCustomer(app, draft, (submission.value as { password: string }).password, {
    clientAddress: clientAddress(request),
  });
  if (!result.ok) {
    if (result.reason === "incomplete") return save(`/register?step=${result.step ?? 1}`);
    if (result.reason === "limited") {
      const message = `Too many registrations from here or with this email. Please try again ${waitInWords(result.retryAfterSeconds)}.`;
      return data(submission.reply({ formErrors: [message], hideFields: ["password", "confirmPassword"] }), {
        status: 429,
        headers: { "Retry-After": String(result.retryAfterSeconds) },
      });
    }
  }
  // Created, repeated or already registered: one answer. Nobody is signed in; this browser remembers what it
  // registered so its Confirm works, and the draft is dropped.
  session.unset("registration");
  session.set("registered", { userId: result.userId, email: draft.personal!.email });
  return redirect("/register/sent", { headers: { "Set-Cookie": await commitSession(session, app) } });
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
