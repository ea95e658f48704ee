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
