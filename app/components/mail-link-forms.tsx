// The buttons of a mailed link's page (decision 022): Confirm, and "This wasn't me" for whoever is not the
// account's own browser. Both are POSTs carrying the link's token; opening the page changed nothing.
import { IntentButton, PostForm } from "./forms";

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
  return (
    <>
      <PostForm values={{ token }}>
        <p>{mine ? confirmText.mine : confirmText.elsewhere}</p>
        {otherAccount ? <p className="muted">{`You are signed in as ${otherAccount}: sign out first to confirm another account.`}</p> : null}
        <div className="actions">
          <IntentButton intent="confirm">Confirm</IntentButton>
        </div>
      </PostForm>
      {mine ? null : (
        <PostForm aria-labelledby="not-me-title" values={{ token }}>
          <h2 id="not-me-title">Not you?</h2>
          <p>{notMeText}</p>
          <div className="actions">
            <IntentButton intent="not-me" secondary>
              This wasn&apos;t me
            </IntentButton>
          </div>
        </PostForm>
      )}
    </>
  );
}
