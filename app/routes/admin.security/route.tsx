// /admin/security: an admin's second factors (issue 23). An admin without one is sent here before any other
// admin page: add an authenticator app (a QR code drawn here, and the secret as text), confirm it with a code,
// and keep the ten recovery codes shown once. Passkeys (WebAuthn; JavaScript needed) are added, named, listed and
// removed here too; the last factor cannot be removed.
import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { useActionData, useLoaderData } from "@remix-run/react";
import { renderSVG } from "uqr";
import { refusedCodeMessage, verifyFactorCode } from "~/auth/factors/check.server";
import { startTotpSetup, totpSetupSecret } from "~/auth/factors/setup.server";
import { registrationOptions, verifyRegistration } from "~/auth/factors/passkey.server";
import { addPasskey, enrolTotp, factorSummary, passkeysOf, removePasskey, replaceRecoveryCodes } from "~/auth/factors/store.server";
import { secretInGroups, totpUri } from "~/auth/factors/totp";
import { recordAdminAction } from "~/audit/audit.server";
import { requireAdmin } from "~/auth/guards.server";
import { clientAddress, keepRetryAfter, waitInWords } from "~/auth/rate-limit.server";
import { AddPasskeySchema, RemovePasskeySchema, TotpSetupSchema } from "~/auth/schemas";
import { commitSession, getSession } from "~/auth/session.server";
import { redirectWithToast } from "~/auth/toast.server";
import { CodeField } from "~/components/code-field";
import { Passkeys, type Answer } from "./passkeys-section";
import { FormError, IntentButton, PostForm } from "~/components/forms";

export const meta: MetaFunction = () => [{ title: "Sign-in security · Admin · Cangoods" }];

export const headers = keepRetryAfter;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await requireAdmin(request, context.app, { setup: true });
  const session = await getSession(request, context.app);
  const summary = await factorSummary(context.app.db, admin.id);
  const secret = summary.totp ? null : await totpSetupSecret(context.app, session);
  const passkeys = (await passkeysOf(context.app.db, admin.id)).map(({ id, label, createdAt, lastUsedAt }) => ({ id, label, createdAt, lastUsedAt }));
  return {
    email: admin.email,
    summary,
    passkeys,
    setup: secret ? { secret: secretInGroups(secret), qrSvg: renderSVG(totpUri(secret, admin.email), { border: 2 }) } : null,
  };
}


export async function action({ request, context }: ActionFunctionArgs) {
  const app = context.app;
  const admin = await requireAdmin(request, app, { setup: true });
  const formData = await request.formData();
  const intent = formData.get("intent");
  const session = await getSession(request, app);
  const summary = await factorSummary(app.db, admin.id);
  const answer = (fields: Partial<Answer>, init?: ResponseInit) => data<Answer>({ recoveryCodes: null, result: null, ...fields }, init);
  if (intent === "start-totp" && !summary.totp) {
    await startTotpSetup(app, session);
    return answer({}, { headers: { "Set-Cookie": await commitSession(session, app) } });
  }
  // Passkeys: the options (the challenge kept in this session), then what the authenticator created.
  if (intent === "passkey-options") {
    const passkeyOptions = await registrationOptions(app, session, admin);
    await recordAdminAction(app.db, { adminId: admin.id, action: "factor.passkey_registration_started", clientAddress: clientAddress(request) });
    return answer({ passkeyOptions }, { headers: { "Set-Cookie": await commitSession(session, app) } });
  }
  if (intent === "add-passkey") {
    const submission = parseWithZod(formData, { schema: AddPasskeySchema });
    if (submission.status !== "success") {
      // The answer is missing without JavaScript: say so for the whole form.
      const passkeyResult = submission.reply({ formErrors: submission.error?.response ?? [], hideFields: ["response"] });
      return answer({ passkeyResult }, { status: 400 });
    }
    const refuse = (message: string, status = 400) => answer({ passkeyResult: submission.reply({ formErrors: [message], hideFields: ["response"] }) }, { status });
    const verdict = await verifyRegistration(app, session, admin.id, submission.value.response);
    if (!verdict.ok)
      return refuse(
        verdict.reason === "challenge"
          ? "That passkey request has expired or was already used. Press “Add a passkey” again."
          : "The passkey could not be verified, so it was not added. Press “Add a passkey” to try again.",
      );
    const added = await addPasskey(app.db, admin.id, { ...verdict.passkey, label: submission.value.name });
    if (!added) return refuse("That passkey is already registered.", 409);
    await recordAdminAction(app.db, { adminId: admin.id, action: "factor.passkey_added", clientAddress: clientAddress(request), after: { factorId: added.factorId } });
    // The first factor set up in this session proves it, like the app's first code.
    session.set("factorCheckedAt", new Date().toISOString());
    const cookie = await commitSession(session, app);
    if (added.recoveryCodes) return answer({ recoveryCodes: added.recoveryCodes, passkeyAdded: submission.value.name }, { headers: { "Set-Cookie": cookie } });
    return redirectWithToast(request, app, "/admin/security", { kind: "success", message: `Passkey “${submission.value.name}” added. Sign-in will offer it after your password.` });
  }
  if (intent === "remove-passkey") {
    await requireAdmin(request, app);
    const parsed = RemovePasskeySchema.safeParse(Object.fromEntries(formData));
    const outcome = parsed.success ? await removePasskey(app.db, admin.id, parsed.data.factorId) : "missing";
    if (outcome === "missing") return answer({ passkeyError: "That passkey was not found: it may have been removed already." }, { status: 404 });
    if (outcome === "last") return answer({ passkeyError: "That passkey is your only second factor: add another (a passkey or an authenticator app) before removing it." }, { status: 409 });
    await recordAdminAction(app.db, { adminId: admin.id, action: "factor.passkey_removed", clientAddress: clientAddress(request), before: { factorId: parsed.data!.factorId } });
    return redirectWithToast(request, app, "/admin/security", { kind: "success", message: "Passkey removed. It no longer signs you in." });
  }
  if (intent === "confirm-totp" && !summary.totp) {
    const secret = await totpSetupSecret(app, session);
    const submission = parseWithZod(formData, { schema: TotpSetupSchema });
    if (!secret) return redirectWithToast(request, app, "/admin/security", { kind: "error", message: "Start the setup again: it was not found." });
    if (submission.status !== "success") return answer({ result: submission.reply({ hideFields: ["code"] }) }, { status: 400 });
    const check = await verifyFactorCode(app, { userId: admin.id, code: submission.value.code, clientAddress: clientAddress(request) }, { secret });
    if (!check.ok) {
      const result = submission.reply({ fieldErrors: { code: [refusedCodeMessage(check, waitInWords)] }, hideFields: ["code"] });
      return answer({ result }, { status: check.reason === "wait" ? 429 : 400, headers: check.reason === "wait" ? { "Retry-After": String(check.retryAfterSeconds) } : undefined });
    }
    const recoveryCodes = await enrolTotp(app.db, admin.id, secret, check.step!, app.env.TOKEN_ENCRYPTION_KEY);
    if (recoveryCodes) await recordAdminAction(app.db, { adminId: admin.id, action: "factor.totp_enrolled", clientAddress: clientAddress(request) });
    session.unset("totpSetup");
    session.set("factorCheckedAt", new Date().toISOString());
    return answer({ recoveryCodes }, { headers: { "Set-Cookie": await commitSession(session, app) } });
  }
  if (intent === "new-recovery-codes" && (summary.totp || summary.passkeys)) {
    // Only a session that checked the factor (not one setting the first one up) may replace the codes.
    await requireAdmin(request, app);
    const recoveryCodes = await replaceRecoveryCodes(app.db, admin.id);
    await recordAdminAction(app.db, { adminId: admin.id, action: "factor.recovery_codes_replaced", clientAddress: clientAddress(request) });
    return answer({ recoveryCodes });
  }
  throw Response.json({ error: "Unknown action." }, { status: 400 });
}

export default function Security() {
  const { email, summary, setup, passkeys } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const recoveryCodes = actionData?.recoveryCodes ?? null;
  const [form, fields] = useForm({
    lastResult: actionData?.result ?? null,
    constraint: getZodConstraint(TotpSetupSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: TotpSetupSchema }),
  });
  const hasFactor = summary.totp || summary.passkeys > 0;
  const canRemoveAny = (summary.totp ? 1 : 0) + summary.passkeys > 1;
  return (
    <section className="card" aria-labelledby="security-title">
      <h1 id="security-title">Sign-in security</h1>
      {recoveryCodes ? (
        <div role="status" aria-labelledby="codes-title">
          <h2 id="codes-title">Your recovery codes</h2>
          {actionData?.passkeyAdded ? <p>{`Passkey “${actionData.passkeyAdded}” added.`}</p> : null}
          <p>
            Keep these somewhere safe, away from your phone. Each signs you in once if you lose your authenticator app. They are not shown
            again.
          </p>
          <ul className="recovery-codes" data-testid="recovery-codes">
            {recoveryCodes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {!hasFactor ? (
        <p className="alert" role="alert">
          Admins sign in with a password and a second factor. Set one up to continue to the admin console.
        </p>
      ) : null}
      <h2>Authenticator app</h2>
      {summary.totp ? (
        <p data-testid="totp-state">Set up. Sign-in asks for its 6-digit code after your password.</p>
      ) : setup ? (
        <>
          <p>Scan this code with an authenticator app (Google Authenticator, 1Password, Authy, …), or type the secret into it.</p>
          <div className="qr" role="img" aria-label={`QR code to add ${email} to an authenticator app`} dangerouslySetInnerHTML={{ __html: setup.qrSvg }} />
          <p>
            Secret: <code data-testid="totp-secret">{setup.secret}</code>
          </p>
          <PostForm {...getFormProps(form)}>
            <FormError errors={form.errors} />
            <CodeField field={fields.code} label="Code from the app" hint="The 6 digits the app shows now." digitsOnly />
            <div className="actions">
              <IntentButton intent="confirm-totp">Confirm the app</IntentButton>
            </div>
          </PostForm>
        </>
      ) : (
        <PostForm>
          <IntentButton intent="start-totp">Set up an authenticator app</IntentButton>
        </PostForm>
      )}
      <Passkeys passkeys={passkeys} canRemoveAny={canRemoveAny} answer={actionData} />
      {hasFactor ? (
        <>
          <h2>Recovery codes</h2>
          <p data-testid="recovery-left">{`${summary.recoveryCodesLeft} of 10 unused.`}</p>
          <PostForm>
            <IntentButton intent="new-recovery-codes" secondary>
              Make ten new recovery codes
            </IntentButton>
          </PostForm>
        </>
      ) : null}
    </section>
  );
}
