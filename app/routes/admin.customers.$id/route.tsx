// Admin customer detail (folder route: one file per section beside this one). Loader and action only
// parse, call the domain modules and respond.
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { customerDetail, syncSnapshot } from "~/admin/customer-detail.server";
import { recordAdminAction } from "~/audit/audit.server";
import { clientAddress } from "~/auth/rate-limit.server";
import { ContactSearchSchema, CustomerActionSchema } from "~/admin/schemas";
import { requireAdmin } from "~/auth/guards.server";
import { redirectWithToast } from "~/auth/toast.server";
import { retrySync, SyncActionError } from "~/sync/admin-actions.server";
import { LinkError, linkContact, searchContacts, unlinkContact } from "~/sync/linking.server";
import { ZohoError } from "~/zoho/errors";
import { CandidatesSection } from "./candidates-section";
import { ManualLinkSection } from "./manual-link-section";
import { ProfileSection } from "./profile-section";
import { SyncSection } from "./sync-section";
import { TimelineSection } from "./timeline-section";
import { ZohoUpdateSection } from "./zoho-update-section";
import { AuditSection, ZohoCallsSection } from "./trails-section";
import type { ContactSearch, DetailAction, DetailLoader } from "./page-types";

export const meta: MetaFunction<DetailLoader> = ({ data }) => [
  { title: data ? `${data.customer.firstName} ${data.customer.lastName} · Customers · Admin` : "Customer · Admin" },
];

const IdSchema = z.object({ id: z.uuid() });

async function searchFromUrl(request: Request, app: LoaderFunctionArgs["context"]["app"], subject: { customerId: string; adminId: string }): Promise<ContactSearch | null> {
  const url = new URL(request.url);
  if (!url.searchParams.has("zq")) return null;
  const raw = url.searchParams.get("zq") ?? "";
  const q = ContactSearchSchema.safeParse({ zq: raw });
  if (!q.success) return { q: raw, results: [], more: false, error: q.error.issues[0].message };
  try {
    return { q: q.data.zq, ...(await searchContacts(app, q.data.zq, subject)), error: null };
  } catch (error) {
    if (!(error instanceof ZohoError)) throw error;
    return { q: q.data.zq, results: [], more: false, error: `Zoho search failed: ${error.message}` };
  }
}

export const loader: DetailLoader = async ({ request, context, params }) => {
  const admin = await requireAdmin(request, context.app);
  const parsed = IdSchema.safeParse(params);
  const detail = parsed.success ? await customerDetail(context.app.db, parsed.data.id) : null;
  if (!detail) throw new Response("No customer with this id.", { status: 404 });
  return { ...detail, search: await searchFromUrl(request, context.app, { customerId: detail.customer.id, adminId: admin.id }) };
};

export const action: DetailAction = async ({ request, context, params }) => {
  const admin = await requireAdmin(request, context.app);
  const parsed = IdSchema.safeParse(params);
  if (!parsed.success) throw new Response("No customer with this id.", { status: 404 });
  const id = parsed.data.id;
  const submission = parseWithZod(await request.formData(), { schema: CustomerActionSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const here = `/admin/customers/${id}`;
  const before = await syncSnapshot(context.app.db, id);
  // One audit row per action that took effect, with the state before and after.
  const audit = async (action: "customer.retry" | "customer.link" | "customer.confirm_link" | "customer.unlink", contactId?: string) =>
    recordAdminAction(context.app.db, {
      adminId: admin.id,
      action,
      clientAddress: clientAddress(request),
      customerIds: [id],
      contactId: contactId ?? (before?.contactId as string | null | undefined) ?? null,
      before,
      after: await syncSnapshot(context.app.db, id),
    });
  try {
    switch (submission.value.intent) {
      case "retry": {
        const state = await retrySync(context.app, id, admin.id);
        await audit("customer.retry");
        return redirectWithToast(request, context.app, here, {
          kind: "success",
          message: state.queued ? "Sync queued: it runs within seconds." : "Sync scheduled: the hourly sweep will run it (the queue did not answer).",
        });
      }
      case "link":
      case "confirm": {
        const { intent, contactId } = submission.value;
        const contact = await linkContact(context.app, id, contactId, admin.id, intent);
        await audit(intent === "confirm" ? "customer.confirm_link" : "customer.link", contact.contact_id);
        const verb = intent === "confirm" ? "Link confirmed:" : "Linked to";
        return redirectWithToast(request, context.app, here, { kind: "success", message: `${verb} ${contact.contact_name} (Zoho id ${contact.contact_id}).` });
      }
      case "unlink":
        await unlinkContact(context.app, id, admin.id);
        await audit("customer.unlink");
        return redirectWithToast(request, context.app, here, { kind: "info", message: "Unlinked. The customer is marked failed until you link a contact or retry." });
    }
  } catch (error) {
    if (error instanceof LinkError || error instanceof SyncActionError)
      return data(submission.reply({ formErrors: [error.message] }), { status: error instanceof SyncActionError ? error.status : 422 });
    throw error;
  }
};

export default function CustomerDetail() {
  const { customer } = useLoaderData<DetailLoader>();
  return (
    <>
      <p>
        <Link to="/admin/customers">← Customers</Link>
      </p>
      <ProfileSection />
      <SyncSection />
      <ZohoUpdateSection />
      {customer.zohoSyncStatus === "skipped" ? <CandidatesSection /> : null}
      <ManualLinkSection />
      <TimelineSection />
      <AuditSection />
      <ZohoCallsSection />
    </>
  );
}
