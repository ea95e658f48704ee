// /undo-email-change?token=…: the link in the notice to the old address. Opening it changes nothing; the
// Undo button (a POST, no sign-in needed: whoever changed the address may hold the account now) drops a
// waiting change or puts the old address back, and signs everyone out of the account.
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { clientAddress, keepRetryAfter, tooManyAttempts } from "~/auth/rate-limit.server";
import { redirectWithToast } from "~/auth/toast.server";
import { FormError, IntentButton, PostForm } from "~/components/forms";
import { MailLinkActionSchema } from "~/customers/account-schemas";
import { undoEmailChange, viewUndoLink } from "~/customers/email-change.server";

export const meta: MetaFunction = () => [{ title: "Undo the change of email address · Cangoods" }];

export const headers = keepRetryAfter;

const REFUSED = {
  unknown: "This link is not valid.",
  used: "This link has already been used.",
  expired: "This link has expired: a change can be undone for 7 days.",
  nothing: "There is nothing to undo: the change was cancelled, undone, or is older than 7 days.",
} as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const view = await viewUndoLink(context.app, token);
  if (!view.ok) return { state: "refused" as const, problem: REFUSED[view.reason] };
  return { state: "ask" as const, token, address: view.address, changed: view.state === "changed" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const app = context.app;
  const submission = parseWithZod(await request.formData(), { schema: MailLinkActionSchema });
  if (submission.status !== "success" || submission.value.intent !== "undo") return data({ formErrors: ["This link is incomplete. Open it again from the mail."] }, { status: 400 });
  const result = await undoEmailChange(app, submission.value.token, clientAddress(request));
  if (result.ok)
    return redirectWithToast(request, app, "/forgot-password", {
      kind: "success",
      message:
        result.state === "changed"
          ? "Done: your account uses this address again, and everyone was signed out of it. Choose a new password now, in case someone knows yours."
          : "Done: the address stays as it was, and everyone was signed out of the account. Choose a new password now, in case someone knows yours.",
    });
  if (result.reason === "limited") return tooManyAttempts(result.retryAfterSeconds);
  return data({ formErrors: [REFUSED[result.reason]] }, { status: 410 });
}

export default function UndoEmailChange() {
  const view = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  return (
    <section className="card narrow" aria-labelledby="undo-title" data-testid="undo-email-change">
      <h1 id="undo-title">Undo the change of email address</h1>
      {view.state !== "ask" ? (
        <>
          <p role="alert" className="form-error">
            {view.problem}
          </p>
          <p>
            <Link to="/login">Sign in</Link>
          </p>
        </>
      ) : (
        <>
          <p>
            {view.changed
              ? `Your Cangoods account stopped using ${view.address} recently. If you did not do this, undo it: the account uses ${view.address} again.`
              : `Someone asked to move your Cangoods account away from ${view.address}. If you did not do this, undo it: nothing changes.`}
          </p>
          <p>Undoing also signs everyone out of the account.</p>
          <FormError errors={answer?.formErrors} />
          <PostForm>
            <input type="hidden" name="token" value={view.token} />
            <div className="actions">
              <IntentButton intent="undo">
                Undo the change
              </IntentButton>
            </div>
          </PostForm>
        </>
      )}
    </section>
  );
}
