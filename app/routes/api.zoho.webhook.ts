// POST /api/zoho/webhook: Zoho's webhook on contact changes (a workflow rule, Professional plans and above; README
// "Mirror of Zoho"). Authenticated by ZOHO_WEBHOOK_SECRET in the URL (?secret=) or the X-Webhook-Secret header,
// compared in constant time; exempt from the CSRF check like the cron route (no browser session). Every delivery is
// a hint only: the mirror re-reads the contact it names and never trusts the payload (app/zoho/mirror/); then the
// links out of step with the mirror are re-vetted (app/sync/mirror-revet.server.ts).
import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { timingSafeEqual } from "~/auth/password.server";
import { log } from "~/log.server";
import { revetLinksFromMirror } from "~/sync/mirror-revet.server";
import { webhookHint } from "~/zoho/mirror/read.server";

/** The largest delivery read; Zoho's contact payloads are a few kilobytes. */
export const WEBHOOK_MAX_BYTES = 64 * 1024;

const id = z.union([z.string().regex(/^\d{1,30}$/), z.number().int().nonnegative()]).transform(String);
// Zoho's payload names the contact at the top or inside `contact`; everything else is ignored.
const Delivery = z.looseObject({ contact_id: id.optional(), contact: z.looseObject({ contact_id: id.optional() }).optional() });

const refuse = (status: 400 | 401 | 405, error: string) => Response.json({ error }, { status });

export const loader = () => refuse(405, "Zoho's webhook posts here.");

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return refuse(405, "Zoho's webhook posts here.");
  const expected = context.app.env.ZOHO_WEBHOOK_SECRET;
  const given = request.headers.get("X-Webhook-Secret") ?? new URL(request.url).searchParams.get("secret") ?? "";
  const encoder = new TextEncoder();
  const [a, b] = [encoder.encode(given), encoder.encode(expected ?? "")];
  if (!expected || a.length !== b.length || !timingSafeEqual(a, b)) return refuse(401, "A valid webhook secret is required.");

  const declared = Number(request.headers.get("Content-Length") ?? 0);
  if (declared > WEBHOOK_MAX_BYTES) return refuse(400, "The delivery is too large.");
  const text = await request.text();
  if (text.length > WEBHOOK_MAX_BYTES) return refuse(400, "The delivery is too large.");
  let payload: unknown;
  try {
    const type = request.headers.get("Content-Type") ?? "";
    // Zoho sends JSON, or a form with the JSON in one field (JSONString, as its API takes it).
    payload = type.includes("application/x-www-form-urlencoded") ? JSON.parse(new URLSearchParams(text).get("JSONString") ?? "") : JSON.parse(text);
  } catch {
    return refuse(400, "The delivery is not JSON.");
  }
  const parsed = Delivery.safeParse(payload);
  if (!parsed.success) return refuse(400, "The delivery does not name a contact in a form Zoho uses.");
  const contactId = parsed.data.contact?.contact_id ?? parsed.data.contact_id ?? null;
  const outcome = await webhookHint(context.app, contactId);
  // What the re-read showed re-vets the links out of step with the mirror (no Zoho call; harmless when replayed);
  // a merge's re-link waits for the next scheduled read (deliveries arrive in any order).
  const revetted = outcome === "mirror_off" ? null : await revetLinksFromMirror(context.app.db, undefined, { relink: false });
  log("info", "zoho webhook", { contactId, outcome, revetted });
  return Response.json({ ok: true, outcome });
}
