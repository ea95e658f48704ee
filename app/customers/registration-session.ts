// The registration stepper keeps its draft in the session (docs/decisions/008-registration-draft.md). Auth's
// session knows nothing of customers: this module adds the draft's key to auth's SessionData from above.
import type { RegistrationDraft } from "./registration-schema";

declare module "~/auth/session.server" {
  interface SessionData {
    registration?: RegistrationDraft;
  }
}

export {};
