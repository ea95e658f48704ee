/** Confirmation codes in mails (app/email/link-tokens.server.ts): this many characters. */
export const CODE_LENGTH = 8;
