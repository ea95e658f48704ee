import { z } from "zod";

export const LoginSchema = z.object({
  email: z.email({ error: "Enter your email address, like name@example.com." }).max(254).trim(),
  password: z.string({ error: "Enter your password." }).min(1, { error: "Enter your password." }).max(200),
  redirectTo: z.string().optional(),
});


export const ForgotPasswordSchema = z.object({
  email: z.email({ error: "Enter your email address, like name@example.com." }).max(254).trim(),
});

/** The one rule for choosing a password (registration and password reset), with its confirmation. */
export const NEW_PASSWORD_FIELDS = {
  password: z
    .string({ error: "Choose a password." })
    .min(10, { error: "Use at least 10 characters." })
    .max(128, { error: "Use at most 128 characters." }),
  confirmPassword: z.string({ error: "Type the password again." }),
};
export const samePasswords = (v: { password: string; confirmPassword: string }) => v.password === v.confirmPassword;
export const PASSWORDS_DIFFER = { path: ["confirmPassword"], error: "The passwords do not match." };

/** A code from the admin's authenticator app (6 digits) or one of their recovery codes. */
export const FACTOR_CODE = z
  .string({ error: "Type the code from your authenticator app, or a recovery code." })
  .trim()
  .min(6, { error: "Type the 6-digit code from your authenticator app, or a recovery code." })
  .max(20, { error: "That is longer than any code we give: type the 6-digit code, or a recovery code." });

export const FactorSchema = z.object({ code: FACTOR_CODE });

/**
 * The factor typed again to confirm a dangerous admin action (docs/decisions/040), beside the action's own
 * fields: a name none of them uses.
 */
export const ReauthSchema = z.object({ factorCode: FACTOR_CODE });
export const REAUTH_FIELD = "factorCode" satisfies keyof z.infer<typeof ReauthSchema>;

/** The first code from an authenticator app being set up (a recovery code does not prove the app works). */
export const TotpSetupSchema = z.object({
  code: z
    .string({ error: "Type the 6-digit code your authenticator app shows." })
    .trim()
    .regex(/^\d{6}$/, { error: "Type the 6-digit code your authenticator app shows (digits only)." }),
});

/** Passkeys need the browser's WebAuthn API (JavaScript): without it the form arrives without a response. */
export const PASSKEY_NEEDS_JS =
  "Passkeys need JavaScript, which is off or not supported in this browser. Use the code from your authenticator app or a recovery code instead.";
const PASSKEY_RESPONSE = z.string({ error: PASSKEY_NEEDS_JS }).min(2, { error: PASSKEY_NEEDS_JS }).max(16_000, { error: "That passkey response is too long." });

/** The second step of an admin's sign-in with a passkey: what the browser's authenticator answered. */
export const PasskeySignInSchema = z.object({ response: PASSKEY_RESPONSE });

/** A passkey being added on /admin/security: the name the admin gives it, and what their authenticator created. */
export const AddPasskeySchema = z.object({
  name: z
    .string({ error: "Name this passkey, like “Work laptop” or “YubiKey”." })
    .trim()
    .min(1, { error: "Name this passkey, like “Work laptop” or “YubiKey”." })
    .max(60, { error: "Use at most 60 characters." }),
  response: PASSKEY_RESPONSE,
});

export const RemovePasskeySchema = z.object({ factorId: z.uuid({ error: "That passkey was not found." }) });

export const ResetPasswordSchema = z
  .object({ token: z.string({ error: "This reset link is incomplete." }).min(10).max(200), ...NEW_PASSWORD_FIELDS, code: FACTOR_CODE.optional() })
  .refine(samePasswords, PASSWORDS_DIFFER);

/** The page of an admin invitation's link: the invitee chooses their password. */
export const AcceptInvitationSchema = z
  .object({ token: z.string({ error: "This invitation link is incomplete." }).min(10).max(200), ...NEW_PASSWORD_FIELDS })
  .refine(samePasswords, PASSWORDS_DIFFER);

export const ResendVerificationSchema = z.object({ intent: z.literal("resend-verification") });

export { CODE_LENGTH } from "~/common/mail-code";
