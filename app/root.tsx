import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { getCurrentUser } from "~/auth/session.server";
import { takeToast } from "~/auth/toast.server";
import { PostForm } from "~/components/forms";
import { useNonce } from "~/components/nonce";
import { useRequestId } from "~/components/request-id";
import { ToastMessage } from "~/components/toast";
import styles from "~/styles.css?url";

export const links: LinksFunction = () => [
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "icon", href: "/favicon.ico", sizes: "32x32" },
  { rel: "stylesheet", href: styles },
];
export const meta: MetaFunction = () => [{ title: "Cangoods" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { app } = context;
  const user = await getCurrentUser(request, app);
  const headers = new Headers();
  const { toast, clear } = await takeToast(request, app);
  if (clear) headers.append("Set-Cookie", clear);
  return data(
    { user: user ? { email: user.email, role: user.role } : null, csrfToken: app.csrfToken, requestId: app.requestId, toast },
    { headers },
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const root = useRouteLoaderData<typeof loader>("root");
  const user = root?.user ?? null;
  const requestId = useRequestId();
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {requestId ? <meta name="request-id" content={requestId} /> : null}
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <Link to="/" className="brand">
            Cangoods
          </Link>
          <nav aria-label="Account">
            {user ? (
              <>
                {user.role === "admin" ? <Link to="/admin">Admin</Link> : <Link to="/account">My account</Link>}
                <PostForm action="/logout" className="inline-form">
                  <button type="submit" className="link-button">
                    Sign out
                  </button>
                </PostForm>
              </>
            ) : (
              <>
                <Link to="/register">Register</Link>
                <Link to="/login">Sign in</Link>
              </>
            )}
          </nav>
        </header>
        <ToastMessage toast={root?.toast ?? null} />
        <main id="main">{children}</main>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const root = useRouteLoaderData<typeof loader>("root");
  const fallbackRequestId = useRequestId();
  const requestId = root?.requestId ?? fallbackRequestId;
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
