import { createContext, useContext } from "react";

// The request id, for the error page even when no loader data exists (the database may be down).
// The server provides it through context; in the browser it is read back from the <meta> it rendered.
export const RequestIdContext = createContext<string | undefined>(undefined);

export function useRequestId(): string | undefined {
  const fromServer = useContext(RequestIdContext);
  if (fromServer) return fromServer;
  if (typeof document === "undefined") return undefined;
  return document.querySelector('meta[name="request-id"]')?.getAttribute("content") ?? undefined;
}
