import type { AppLoadContext, EntryContext } from "@remix-run/cloudflare";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToReadableStream } from "react-dom/server";
import { NonceContext } from "~/components/nonce";
import { RequestIdContext } from "~/components/request-id";
import { log } from "~/log.server";

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  let status = responseStatusCode;
  // The Worker's Content-Security-Policy allows inline scripts only with this nonce (Remix's own).
  const nonce = loadContext.app?.cspNonce || undefined;
  const app = (
    <NonceContext.Provider value={nonce}>
      <RequestIdContext.Provider value={loadContext.app?.requestId}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </RequestIdContext.Provider>
    </NonceContext.Provider>
  );
  const body = await renderToReadableStream(app, {
    nonce,
    signal: request.signal,
    onError(error: unknown) {
      status = 500;
      log("error", "render failed", { error });
    },
  });
  // Crawlers and no-JS clients get the whole document at once.
  if (isbot(request.headers.get("user-agent") || "")) await body.allReady;
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  return new Response(body, { headers: responseHeaders, status });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  const path = new URL(request.url).pathname;
  // Remix reports an unknown URL (or a 4xx a loader threw) here too: that is a visitor's mistake, not
  // ours, so it is info (no alert). ERROR stays for real failures.
  if (isRouteErrorResponse(error) && error.status < 500) {
    log("info", "not found or refused", { status: error.status, path });
    return;
  }
  log("error", "unhandled error", { error, path });
}
