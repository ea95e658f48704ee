// The registration stepper's schemas: one per step, shared by the browser (Conform) and the server,
// which re-validates the whole registration on submit.
import { z } from "zod";
import { NEW_PASSWORD_FIELDS, PASSWORDS_DIFFER, samePasswords } from "~/auth/schemas";
import { personName } from "./person-name";

/** Philippine mobiles in any common spelling (0917…, 63917…, +63 917 …) or any E.164 number → E.164. */
export function normalisePhone(input: string): string | null {
  const compact = input.replace(/[\s().-]/g, "");
  if (/^09\d{9}$/.test(compact)) return `+63${compact.slice(1)}`;
  if (/^639\d{9}$/.test(compact)) return `+${compact}`;
  if (/^9\d{9}$/.test(compact)) return `+63${compact}`;
  if (/^\+639\d{9}$/.test(compact)) return compact;
  if (/^\+63/.test(compact)) return null; // a Philippine number that is not a mobile
  if (/^\+[1-9]\d{7,14}$/.test(compact)) return compact;
  return null;
}

export const PersonalSchema = z.object({
  firstName: personName("first name"),
  lastName: personName("last name"),
  email: z
    .string({ error: "Enter your email address." })
    .trim()
    .max(254, { error: "That email address is too long." })
    .pipe(z.email({ error: "Enter an email address like name@example.com." }))
    .transform((v) => v.toLowerCase()),
  phone: z
    .string({ error: "Enter your mobile number." })
    .trim()
    .max(30, { error: "That number is too long." })
    .transform((v, ctx) => {
      const phone = normalisePhone(v);
      if (!phone) {
        ctx.addIssue({ code: "custom", message: "Enter a mobile number like 0917 123 4567 or +63 917 123 4567." });
        return z.NEVER;
      }
      return phone;
    }),
});

export const HistorySchema = z.object({
  customerType: z.enum(["new", "returning"], { error: "Choose whether you have ordered from Cangoods before." }),
});

const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;
const line = (label: string, max: number) =>
  z
    .string({ error: `Enter the ${label}.` })
    .trim()
    .min(1, { error: `Enter the ${label}.` })
    .max(max, { error: `The ${label} can be at most ${max} characters.` })
    .regex(NO_CONTROL, { error: `The ${label} contains characters we cannot use.` });

export const DeliverySchema = z.discriminatedUnion(
  "deliveryMethod",
  [
    z.object({
      deliveryMethod: z.literal("delivery"),
      addressLine1: line("street address", 120),
      addressLine2: z
        .string()
        .trim()
        .max(120, { error: "This line can be at most 120 characters." })
        .regex(NO_CONTROL, { error: "This line contains characters we cannot use." })
        .optional(),
      city: line("city or municipality", 60),
      province: line("province", 60),
      postalCode: z.string({ error: "Enter the postal code." }).trim().regex(/^\d{4}$/, { error: "Enter the 4-digit postal code." }),
    }),
    z.object({ deliveryMethod: z.literal("pickup") }),
  ],
  { error: "Choose delivery or pickup." },
);

export const AccountSchema = z.object(NEW_PASSWORD_FIELDS).refine(samePasswords, PASSWORDS_DIFFER);

export const STEP_SCHEMAS = { 1: PersonalSchema, 2: HistorySchema, 3: DeliverySchema, 4: AccountSchema } as const;
export type Step = keyof typeof STEP_SCHEMAS;
export const STEP_TITLES: Record<Step, string> = { 1: "Your details", 2: "Ordered before?", 3: "Delivery", 4: "Account" };

export type Personal = z.infer<typeof PersonalSchema>;
export type History = z.infer<typeof HistorySchema>;
export type Delivery = z.infer<typeof DeliverySchema>;

/** What the stepper has collected so far (kept server-side in the session, re-validated on submit). */
export type RegistrationDraft = { personal?: Personal; history?: History; delivery?: Delivery };

export const RegistrationSchema = z.object({ personal: PersonalSchema, history: HistorySchema, delivery: DeliverySchema });
