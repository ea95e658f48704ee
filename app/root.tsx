import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import {
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
import { ErrorPage } from "~/components/error-page";
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
  return <ErrorPage error={error} requestId={root?.requestId ?? fallbackRequestId} />;
}
