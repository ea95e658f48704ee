// Forms of the admin customer detail page (shared by the route's action and the browser).
import { z } from "zod";

export const ContactIdSchema = z
  .string({ error: "Enter a Zoho contact id." })
  .trim()
  .regex(/^\d{1,30}$/, { error: "A Zoho contact id is a number, e.g. 460000000026049." });

export const CustomerActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("retry") }),
  z.object({ intent: z.literal("unlink") }),
  z.object({ intent: z.literal("link"), contactId: ContactIdSchema }),
]);

export const ContactSearchSchema = z.object({
  zq: z
    .string({ error: "Type a name or an email to search." })
    .trim()
    .min(2, { error: "Type at least 2 characters." })
    .max(100, { error: "Use at most 100 characters." }),
});
