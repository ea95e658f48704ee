// /admin/admins (owners only): who administers the shop, the invitations waiting, and an owner's actions on them
// (invite, revoke, make owner/staff, remove). Removing asks first (a page state, ?remove=<id>, without JavaScript).
import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { changeAdminRole, LAST_OWNER_MESSAGE, listAdmins, removeAdmin } from "~/admin/admins.server";
import { INVITE_REFUSED, inviteAdmin, pendingInvitations, revokeInvitation } from "~/admin/invitations.server";
import { AdminsActionSchema, InviteAdminSchema } from "~/admin/schemas";
import { requireOwner } from "~/auth/guards.server";
import { clientAddress, keepRetryAfter, waitInWords } from "~/auth/rate-limit.server";
import { requireRecentFactor, type DangerousAction } from "~/auth/reauth.server";
import { redirectWithToast } from "~/auth/toast.server";
import { formatDateTime } from "~/components/format";
import { Field, FormError, IntentButton, PostForm } from "~/components/forms";
import { DataTable } from "~/components/tables";

export const meta: MetaFunction = () => [{ title: "Admins · Admin · Cangoods" }];
export const headers = keepRetryAfter;

const ROLE_LABEL = { owner: "Owner", staff: "Staff" } as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const me = await requireOwner(request, context.app);
  const db = context.app.db;
  const [admins, invitations] = await Promise.all([listAdmins(db), pendingInvitations(db)]);
  const removeId = new URL(request.url).searchParams.get("remove");
  const removing = admins.find((a) => a.id === removeId) ?? null;
  return { me: me.id, admins, invitations, removing };
}

type Problem = { problem: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const owner = await requireOwner(request, context.app);
  const actor = { id: owner.id, clientAddress: clientAddress(request) };
  const app = context.app;
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: AdminsActionSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const v = submission.value;
  // Changing who administers the shop asks for the factor again when the last check is old (revoking does not).
  const dangerous: Partial<Record<typeof v.intent, DangerousAction>> = { invite: "admins.invited", change_role: "admins.role_changed", remove: "admins.removed" };
  const reauthFor = dangerous[v.intent];
  if (reauthFor) await requireRecentFactor(request, app, owner, formData, reauthFor);
  const refused = (problem: string, status: number) => data<Problem>({ problem }, { status });
  switch (v.intent) {
    case "invite": {
      const r = await inviteAdmin(app, actor, { email: v.email, role: v.role });
      if (r.ok) return redirectWithToast(request, app, "/admin/admins", { kind: "success", message: `Invitation sent to ${v.email} (${ROLE_LABEL[v.role].toLowerCase()}). The link works for 72 hours.` });
      if (r.reason === "wait")
        return data(submission.reply({ formErrors: [`Too many invitations. Please try again ${waitInWords(r.retryAfterSeconds)}.`] }), {
          status: 429,
          headers: { "Retry-After": String(r.retryAfterSeconds) },
        });
      return data(submission.reply({ fieldErrors: { email: [INVITE_REFUSED[r.reason]] } }), { status: 409 });
    }
    case "revoke": {
      const r = await revokeInvitation(app, actor, v.invitationId);
      if (!r.ok) return refused("This invitation is no longer waiting (it was accepted or revoked meanwhile).", 409);
      return redirectWithToast(request, app, "/admin/admins", { kind: "info", message: `The invitation to ${r.email} was revoked: its link no longer works.` });
    }
    case "change_role": {
      const r = await changeAdminRole(app, actor, v.userId, v.role);
      if (!r.ok) return refused(r.reason === "last_owner" ? LAST_OWNER_MESSAGE : r.reason === "not_owner" ? "You are no longer an owner." : "No such admin.", r.reason === "not_owner" ? 403 : r.reason === "not_found" ? 404 : 409);
      return redirectWithToast(request, app, r.self && v.role === "staff" ? "/admin" : "/admin/admins", { kind: "success", message: `${r.email} is now ${v.role === "owner" ? "an owner" : "staff"}.` });
    }
    case "remove": {
      const r = await removeAdmin(app, actor, v.userId);
      if (!r.ok) return refused(r.reason === "last_owner" ? LAST_OWNER_MESSAGE : r.reason === "not_owner" ? "You are no longer an owner." : "No such admin.", r.reason === "not_owner" ? 403 : r.reason === "not_found" ? 404 : 409);
      // Removing oneself ends this session too: off to sign-in.
      return redirectWithToast(request, app, r.self ? "/login" : "/admin/admins", { kind: "success", message: `${r.email} is no longer an admin and was signed out everywhere.` });
    }
  }
}

export default function Admins() {
  const { me, admins, invitations, removing } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const problem = result && "problem" in result ? result.problem : null;
  const [form, fields] = useForm({
    lastResult: result && !("problem" in result) ? result : undefined,
    defaultValue: { role: "staff" },
    constraint: getZodConstraint(InviteAdminSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: InviteAdminSchema }),
  });
  return (
    <section aria-labelledby="admins-title">
      <h1 id="admins-title">Admins</h1>
      <p className="muted">
        Owners can do everything, including managing admins and the Zoho Books connection. Staff work with customers: review, linking and retries.
      </p>
      {problem ? <FormError errors={[problem]} /> : null}
      {removing ? (
        <div className="card" role="alertdialog" aria-labelledby="remove-title" aria-describedby="remove-what">
          <h2 id="remove-title">{`Remove ${removing.email}?`}</h2>
          <p id="remove-what">
            {removing.id === me
              ? "You will lose access to the admin console at once and be signed out."
              : "They lose access to the admin console at once and are signed out everywhere. To let them back, invite them again."}
          </p>
          <PostForm values={{ userId: removing.id }} className="actions">
            <IntentButton intent="remove">{`Remove ${removing.email}`}</IntentButton>
            <Link to="/admin/admins">Cancel</Link>
          </PostForm>
        </div>
      ) : null}

      <DataTable caption={`${admins.length} admin${admins.length === 1 ? "" : "s"}`} captionStyle="start" testId="admins" columns={[{ header: "Email" }, { header: "Role" }, { header: "Last sign-in", hideSmall: true }, { header: "Admin since", hideSmall: true }, { header: "Actions", srOnly: true }]}>
        {admins.map((a) => (
          <tr key={a.id}>
            <td>
              {a.email}
              {a.id === me ? <span className="muted"> (you)</span> : null}
            </td>
            <td>{ROLE_LABEL[a.role]}</td>
            <td className="hide-sm">{a.lastSignInAt ? formatDateTime(a.lastSignInAt) : "Never"}</td>
            <td className="hide-sm">{formatDateTime(a.createdAt)}</td>
            <td>
              <div className="actions">
                <PostForm values={{ userId: a.id, role: a.role === "owner" ? "staff" : "owner" }}>
                  <IntentButton intent="change_role" secondary aria-label={`${a.role === "owner" ? "Make staff" : "Make owner"}: ${a.email}`}>
                    {a.role === "owner" ? "Make staff" : "Make owner"}
                  </IntentButton>
                </PostForm>
                <Link to={`/admin/admins?remove=${a.id}`} aria-label={`Remove ${a.email}`}>
                  Remove
                </Link>
              </div>
            </td>
          </tr>
        ))}
      </DataTable>

      <div className="card">
        <h2 id="invite-title">Invite an admin</h2>
        <p className="muted">They get a mail with a link that works once, for 72 hours, and choose their own password.</p>
        <PostForm {...getFormProps(form)} aria-labelledby="invite-title">
          <FormError errors={form.errors} />
          <Field label="Email address" field={fields.email}>
            <input {...getInputProps(fields.email, { type: "email" })} autoComplete="off" />
          </Field>
          <Field label="Role" hint="Staff: customers, review, linking, retries. Owner: everything, including admins and Zoho Books." field={fields.role}>
            <select {...getSelectProps(fields.role)} aria-describedby={`${fields.role.descriptionId} ${fields.role.errorId}`}>
              <option value="staff">Staff</option>
              <option value="owner">Owner</option>
            </select>
          </Field>
          <div className="actions">
            <IntentButton intent="invite">Send invitation</IntentButton>
          </div>
        </PostForm>
      </div>

      <h2 id="invitations-title">Invitations waiting</h2>
      {invitations.length === 0 ? (
        <p className="card" role="status">
          No invitations waiting. Invitations that were accepted or revoked are not listed.
        </p>
      ) : (
        <DataTable caption="Sent, not yet accepted" captionStyle="sr-only" testId="invitations" columns={[{ header: "Email" }, { header: "Role" }, { header: "Invited by", hideSmall: true }, { header: "Sent", hideSmall: true }, { header: "Link works until" }, { header: "Actions", srOnly: true }]}>
          {invitations.map((i) => (
            <tr key={i.id}>
              <td>{i.email}</td>
              <td>{ROLE_LABEL[i.role]}</td>
              <td className="hide-sm">{i.invitedBy ?? "a removed admin"}</td>
              <td className="hide-sm">{formatDateTime(i.createdAt)}</td>
              <td>{i.expired ? <strong>Expired: invite again to send a new link</strong> : formatDateTime(i.expiresAt)}</td>
              <td>
                <PostForm values={{ invitationId: i.id }}>
                  <IntentButton intent="revoke" secondary aria-label={`Revoke the invitation to ${i.email}`}>
                    Revoke
                  </IntentButton>
                </PostForm>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
