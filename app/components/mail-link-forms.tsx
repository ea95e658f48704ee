// The buttons of a mailed link's page (decision 022): Confirm, and "This wasn't me" for whoever is not the
// account's own browser. Both are POSTs carrying the link's token; opening the page changed nothing.
import { Form, useNavigation } from "@remix-run/react";
import { CsrfInput } from "./forms";

type Props = {
  token: string;
  /** This browser registered the account or is signed in to it: Confirm acts at once, and "not me" is not offered. */
  mine: boolean;
  /** Signed in to another account: say so (Confirm will refuse). */
  otherAccount: string | null;
  confirmText: { mine: string; elsewhere: string };
  notMeText: string;
};

export function MailLinkForms({ token, mine, otherAccount, confirmText, notMeText }: Props) {
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <Form method="post">
        <CsrfInput />
        <input type="hidden" name="token" value={token} />
        <p>{mine ? confirmText.mine : confirmText.elsewhere}</p>
        {otherAccount ? <p className="muted">{`You are signed in as ${otherAccount}: sign out first to confirm another account.`}</p> : null}
        <div className="actions">
          <button type="submit" name="intent" value="confirm" disabled={busy}>
            Confirm
          </button>
        </div>
      </Form>
      {mine ? null : (
        <Form method="post" aria-labelledby="not-me-title">
          <h2 id="not-me-title">Not you?</h2>
          <p>{notMeText}</p>
          <CsrfInput />
          <input type="hidden" name="token" value={token} />
          <div className="actions">
            <button type="submit" name="intent" value="not-me" className="button--secondary" disabled={busy}>
              This wasn&apos;t me
            </button>
          </div>
        </Form>
      )}
    </>
  );
}
