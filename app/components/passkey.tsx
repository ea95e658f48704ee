// The browser's part of a passkey (WebAuthn, through @simplewebauthn/browser): ask the page's action for options
// (a POST: the challenge is stored server-side), let the authenticator create or use the passkey, and hand its
// answer to `onResponse`, which posts it with the rest of the form. Progress and problems are announced in a
// live region. Without JavaScript nothing here runs: the form posts without an answer and the server says
// that passkeys need JavaScript (the code form stays the fallback).
import { useFetcher } from "@remix-run/react";
import { browserSupportsWebAuthn, startAuthentication, startRegistration } from "@simplewebauthn/browser";
import { useCallback, useEffect, useRef, useState } from "react";
import { useCsrfToken } from "./forms";

type OptionsAnswer = { passkeyOptions?: unknown; passkeyError?: string; passkeyErrors?: string[] } | null | undefined;

function problem(error: unknown, kind: "register" | "sign-in"): string {
  const e = error as { name?: string; code?: string; message?: string } | null;
  if (e?.code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED" || e?.name === "InvalidStateError")
    return "This authenticator already holds a passkey for your account. Use another one, or keep the one you have.";
  if (e?.name === "NotAllowedError" || e?.name === "AbortError" || e?.code === "ERROR_CEREMONY_ABORTED")
    return kind === "register"
      ? "No passkey was created: the browser's prompt was closed or timed out. Try again when you are ready."
      : "No passkey was used: the browser's prompt was closed or timed out. Try again, or type a code below.";
  return `Your browser could not use a passkey (${e?.message ?? "unknown error"}).${kind === "sign-in" ? " Type a code below instead." : ""}`;
}

export function usePasskeyCeremony(kind: "register" | "sign-in", onResponse: (response: string) => void) {
  const fetcher = useFetcher<OptionsAnswer>();
  const csrf = useCsrfToken();
  const [status, setStatus] = useState("");
  // null until the page runs JavaScript (and never set without it).
  const [supported, setSupported] = useState<boolean | null>(null);
  useEffect(() => setSupported(browserSupportsWebAuthn()), []);
  const handled = useRef<OptionsAnswer>(null);
  const respond = useRef(onResponse);
  respond.current = onResponse;

  useEffect(() => {
    const answer = fetcher.data;
    if (fetcher.state !== "idle" || !answer || handled.current === answer) return;
    handled.current = answer;
    if (!answer.passkeyOptions) {
      setStatus(answer.passkeyError ?? answer.passkeyErrors?.[0] ?? "The passkey could not be started. Reload the page and try again.");
      return;
    }
    setStatus(kind === "register" ? "Follow your browser's prompt to create the passkey…" : "Follow your browser's prompt to use your passkey…");
    const optionsJSON = answer.passkeyOptions as never;
    const ceremony = kind === "register" ? startRegistration({ optionsJSON }) : startAuthentication({ optionsJSON });
    ceremony.then(
      (response) => {
        setStatus("Checking the passkey…");
        respond.current(JSON.stringify(response));
      },
      (error: unknown) => setStatus(problem(error, kind)),
    );
  }, [fetcher.state, fetcher.data, kind]);

  const clear = useCallback(() => setStatus(""), []);
  return {
    clear,
    /** null: no JavaScript (yet); false: this browser has no WebAuthn. */
    supported,
    status,
    busy: fetcher.state !== "idle",
    start() {
      if (!supported) {
        setStatus("This browser cannot use passkeys. Use the code from your authenticator app or a recovery code instead.");
        return;
      }
      setStatus("Preparing the passkey…");
      fetcher.submit({ intent: "passkey-options", csrf }, { method: "post" });
    },
  };
}

/** The live region a passkey form announces its progress in. */
export function PasskeyStatus({ status, testId }: { status: string; testId?: string }) {
  return (
    <p role="status" className="hint" data-testid={testId}>
      {status}
    </p>
  );
}
