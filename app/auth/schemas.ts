import { z } from "zod";

export const LoginSchema = z.object({
  email: z.email({ error: "Enter your email address, like name@example.com." }).max(254).trim(),
  password: z.string({ error: "Enter your password." }).min(1, { error: "Enter your password." }).max(200),
  redirectTo: z.string().optional(),
});

/** Only same-site paths: never redirect to another origin after sign-in. */
export function safeRedirect(to: string | null | undefined, fallback: string) {
  if (!to || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}

export const ForgotPasswordSchema = z.object({
  email: z.email({ error: "Enter your email address, like name@example.com." }).max(254).trim(),
});

export const ResetPasswordSchema = z
  .object({
    token: z.string({ error: "This reset link is incomplete." }).min(10).max(200),
    password: z
      .string({ error: "Choose a password." })
      .min(10, { error: "Use at least 10 characters." })
      .max(128, { error: "Use at most 128 characters." }),
    confirmPassword: z.string({ error: "Type the password again." }),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], error: "The passwords do not match." });

export const ResendVerificationSchema = z.object({ intent: z.literal("resend-verification") });
