import { Link } from "@remix-run/react";
import { FormError, IntentButton, PostForm } from "./forms";

type Props = { count: number; confirming: boolean; cancelTo: string; confirmTo: string; errors?: string[] | null };

/**
 * "Confirm all suggested links" on the admin list: a count, then a confirmation step (a page state in
 * the URL, so it works without JavaScript) that says exactly what will happen.
 */
export function ConfirmAllLinks({ count, confirming, cancelTo, confirmTo, errors }: Props) {
  if (count === 0 && !errors?.length) return null;
  return (
    <section className="card" aria-labelledby="confirm-all-title" data-testid="confirm-all">
      <h2 id="confirm-all-title">Suggested links</h2>
      <FormError errors={errors} />
      {confirming ? (
        <PostForm>
          <input type="hidden" name="expected" value={count} />
          <p role="alert">
            {`Link ${count} customer${count === 1 ? "" : "s"} to the Zoho contact suggested for each? `}
            These customers verified their email and match exactly one contact by name, which no other account holds. Their order history becomes
            visible to them.
          </p>
          <div className="actions">
            <IntentButton intent="confirm_all">
              {`Yes, confirm ${count} link${count === 1 ? "" : "s"}`}
            </IntentButton>
            <Link to={cancelTo}>Cancel</Link>
          </div>
        </PostForm>
      ) : (
        <p>
          {`${count} customer${count === 1 ? " matches" : "s match"} exactly one Zoho contact by name. `}
          <Link to={confirmTo} className="button">
            {`Confirm all suggested links (${count})`}
          </Link>
        </p>
      )}
    </section>
  );
}
