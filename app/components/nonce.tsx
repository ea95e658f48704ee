import { createContext, useContext } from "react";

// The Content-Security-Policy nonce of this response, for Remix's inline scripts. Only the server knows
// it (entry.server.tsx provides it); in the browser the scripts already ran, so it is empty.
export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
