import { isRouteErrorResponse, Link } from "@remix-run/react";

/** What an error shows a person: a human sentence and the request id to quote (the root's and the admin console's boundaries). */
export function ErrorPage({ error, requestId }: { error: unknown; requestId: string | undefined }) {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message = isRouteErrorResponse(error)
    ? status === 404
      ? "We could not find that page."
      : status === 403
        ? // The guard's words when it has some (an owner's page refused to staff says why), else the usual line.
          typeof error.data === "string" && error.data
          ? error.data
          : "You do not have access to this page."
        : typeof error.data === "string" && error.data
          ? error.data
          : error.statusText || "Something went wrong."
    : "Something went wrong on our side. Please try again in a moment.";
  return (
    <section className="card" aria-labelledby="error-title">
      <h1 id="error-title">{status === 404 ? "Page not found" : status === 403 ? "Access denied" : "Sorry"}</h1>
      <p>{message}</p>
      {requestId ? (
        <p className="muted">
          Reference: <code>{requestId}</code>
        </p>
      ) : null}
      <p>
        <Link to="/">Back to the home page</Link>
      </p>
    </section>
  );
}
