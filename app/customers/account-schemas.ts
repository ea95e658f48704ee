// The customer's own account forms (issue 19): one schema per form, shared by the browser (Conform) and the
// server. The profile reuses the registration's field rules (one home: registration-schema.ts).
import { z } from "zod";
import { CODE_LENGTH } from "~/auth/schemas";
import { DeliverySchema, HistorySchema, PersonalSchema } from "./registration-schema";

const details = PersonalSchema.omit({ email: true }).shape;
const [deliveryOption, pickupOption] = DeliverySchema.options;

/** Name, mobile number and delivery: the same rules as registration's steps 1 and 3. */
export const ProfileSchema = z.discriminatedUnion("deliveryMethod", [deliveryOption.extend(details), pickupOption.extend(details)], {
  error: "Choose delivery or pickup.",
});
export type Profile = z.infer<typeof ProfileSchema>;

/** A taken-back account: the owner also answers "ordered before?", which decides how the sync looks them up. */
export const DetailsCheckSchema = z.discriminatedUnion(
  "deliveryMethod",
  [deliveryOption.extend(details).extend(HistorySchema.shape), pickupOption.extend(details).extend(HistorySchema.shape)],
  { error: "Choose delivery or pickup." },
);
export type DetailsCheck = z.infer<typeof DetailsCheckSchema>;

const currentPassword = z.string({ error: "Type your password." }).min(1, { error: "Type your password." }).max(200);

export const ChangeEmailSchema = z.object({ newEmail: PersonalSchema.shape.email, password: currentPassword });

export const DeleteAccountSchema = z.object({ password: currentPassword });

/** The code from a confirmation mail, typed on the account page (spaces and dashes allowed). */
export const ConfirmCodeSchema = z.object({
  intent: z.literal("confirm-code"),
  code: z
    .string({ error: `Type the ${CODE_LENGTH}-character code from the mail.` })
    .trim()
    .transform((v) => v.replace(/[\s-]/g, ""))
    .pipe(z.string().length(CODE_LENGTH, { error: `The code has ${CODE_LENGTH} characters.` }).regex(/^[A-Za-z0-9]+$/, { error: "The code has only letters and digits." })),
});

/** The buttons on a mailed link's page (Confirm, "This wasn't me", Undo): the token rides in a hidden field. */
export const MailLinkActionSchema = z.object({
  token: z.string().min(10).max(200),
  intent: z.enum(["confirm", "not-me", "undo"]),
});

export const AccountIntentSchema = z.object({ intent: z.enum(["resend-verification", "cancel-email-change"]) });
