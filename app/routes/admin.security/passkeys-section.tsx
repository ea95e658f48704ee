// /admin/security's passkeys (docs/decisions/041-passkeys.md): the list (each removable unless it is the admin's
// only factor) and the form that adds one (JavaScript needed for the ceremony itself).
import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { useSubmit } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { AddPasskeySchema } from "~/auth/schemas";
import { Field, FormError, IntentButton, PostForm, useCsrfToken } from "~/components/forms";
import { formatDateTime } from "~/components/format";
import { PasskeyStatus, usePasskeyCeremony } from "~/components/passkey";

/** A passkey as the page's loader sends it. */
export type ShownPasskey = { id: string; label: string; createdAt: Date; lastUsedAt: Date | null };

export type Answer = {
  recoveryCodes: string[] | null;
  result: SubmissionResult<string[]> | null;
  passkeyOptions?: unknown;
  passkeyResult?: SubmissionResult<string[]>;
  passkeyError?: string;
  /** The name of the passkey just added (as the first factor: its recovery codes are shown). */
  passkeyAdded?: string;
};

const NAME_ONLY = AddPasskeySchema.pick({ name: true });

/** The admin's passkeys (each removable unless it is their only factor) and the form that adds one. */
export function Passkeys({ passkeys, canRemoveAny, answer }: { passkeys: ShownPasskey[]; canRemoveAny: boolean; answer: Answer | undefined }) {
  const submit = useSubmit();
  const csrf = useCsrfToken();
  const name = useRef("");
  const passkey = usePasskeyCeremony("register", (response) => submit({ intent: "add-passkey", name: name.current, response, csrf }, { method: "post" }));
  const [form, fields] = useForm({
    id: "add-passkey",
    lastResult: answer?.passkeyResult ?? null,
    constraint: getZodConstraint(NAME_ONLY),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: NAME_ONLY }),
    onSubmit(event, { formData }) {
      // With JavaScript the browser's authenticator answers first; the answer is then posted with the name.
      event.preventDefault();
      name.current = String(formData.get("name") ?? "");
      passkey.start();
    },
  });
  const { clear } = passkey;
  const serverSaid = answer?.passkeyResult ?? answer?.passkeyError;
  useEffect(() => {
    if (serverSaid) clear();
  }, [serverSaid, clear]);
  return (
    <>
      <h2>Passkeys</h2>
      <p>
        A passkey signs you in with your device's fingerprint, face or PIN, or a security key, instead of typing a code. Your authenticator
        app and recovery codes stay the fallback.
      </p>
      {answer?.passkeyError ? (
        <p className="alert" role="alert">
          {answer.passkeyError}
        </p>
      ) : null}
      {passkeys.length ? (
        <ul className="passkeys" data-testid="passkeys">
          {passkeys.map((p) => (
            <li key={p.id}>
              <strong>{p.label}</strong>{" "}
              <span className="hint">
                {`added ${formatDateTime(p.createdAt)}`}
                {p.lastUsedAt ? `, last used ${formatDateTime(p.lastUsedAt)}` : ", not used yet"}
              </span>
              {canRemoveAny ? (
                <PostForm values={{ factorId: p.id }} className="inline">
                  <IntentButton intent="remove-passkey" secondary aria-label={`Remove the passkey “${p.label}”`}>
                    Remove
                  </IntentButton>
                </PostForm>
              ) : (
                <span className="hint"> Your only second factor: add another before removing it.</span>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p data-testid="no-passkeys">No passkey yet.</p>
      )}
      <PostForm {...getFormProps(form)}>
        <FormError errors={form.errors} />
        <Field label="Name for a new passkey" hint="So you can tell your passkeys apart, like “Work laptop” or “YubiKey”." field={fields.name}>
          <input {...getInputProps(fields.name, { type: "text" })} autoComplete="off" aria-describedby={`${fields.name.descriptionId} ${fields.name.errorId}`} />
        </Field>
        <div className="actions">
          <IntentButton intent="add-passkey" disabled={passkey.busy || passkey.supported === false}>
            Add a passkey
          </IntentButton>
        </div>
        <PasskeyStatus status={passkey.supported === false ? "This browser cannot create passkeys. The authenticator app works in any browser." : passkey.status} testId="passkey-status" />
        <noscript>
          <p className="hint">Adding a passkey needs JavaScript, which is off in this browser. The authenticator app works without it.</p>
        </noscript>
      </PostForm>
    </>
  );
}
