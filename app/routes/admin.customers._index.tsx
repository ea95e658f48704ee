import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ListQuerySchema, listUrl, parseListQuery, type ListQuery } from "~/admin/customer-list";
import { listPage } from "~/admin/customer-list.server";
import { ConfirmAllSchema } from "~/admin/schemas";
import { recordAdminAction } from "~/audit/audit.server";
import { requireAdmin } from "~/auth/guards.server";
import { clientAddress } from "~/auth/rate-limit.server";
import { requireRecentFactor } from "~/auth/reauth.server";
import { redirectWithToast } from "~/auth/toast.server";
import { ConfirmAllLinks } from "~/components/confirm-all-links";
import { confirmAllSuggestedLinks, countSuggestedLinks } from "~/sync/confirm-links.server";
import { REVIEW_REASON_LABEL, REVIEW_REASONS } from "~/sync/vocabulary";
import { STATUS_LABEL, StatusBadge } from "~/components/status-badge";
import { SYNC_STATUSES } from "~/db/schema";
import { formatDate } from "~/components/format";
import { Field } from "~/components/forms";
import { DataTable, Pager } from "~/components/tables";

export const meta: MetaFunction = () => [{ title: "Customers · Admin · Cangoods" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(request, context.app);
  const url = new URL(request.url);
  const query = parseListQuery(url);
  const [{ page, counts }, suggested] = await Promise.all([listPage(context.app.db, query), countSuggestedLinks(context.app.db)]);
  return { query, page, counts, suggested, confirming: url.searchParams.get("confirm") === "all" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, context.app);
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: ConfirmAllSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  await requireRecentFactor(request, context.app, admin, formData, "customers.confirm_all_links");
  const now = await countSuggestedLinks(context.app.db);
  // The list changed since the admin read the count: show the new count and ask again.
  if (now !== submission.value.expected)
    return data(submission.reply({ formErrors: [`The number of suggested links changed to ${now} since you looked. Check and confirm again.`] }), { status: 409 });
  const linkedIds = await confirmAllSuggestedLinks(context.app, admin.id);
  const linked = linkedIds.length;
  await recordAdminAction(context.app.db, {
    adminId: admin.id,
    action: "customers.confirm_all_links",
    clientAddress: clientAddress(request),
    customerIds: linkedIds,
    count: linked,
  });
  const left = now - linked;
  return redirectWithToast(request, context.app, "/admin/customers?reason=name_only", {
    kind: "success",
    message: `Confirmed ${linked} suggested link${linked === 1 ? "" : "s"}.${left > 0 ? ` ${left} left: confirm again for the next batch.` : ""}`,
  });
}


const withParam = (url: string, key: string, value: string) => `${url}${url.includes("?") ? "&" : "?"}${key}=${value}`;

export default function CustomerList() {
  const { query, page, counts, suggested, confirming } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const loading = navigation.state === "loading";
  const filtered = !!(query.status || query.type || query.q || query.reason);
  return (
    <section aria-labelledby="customers-title">
      <h1 id="customers-title">Customers</h1>
      <nav aria-label="Filter by Zoho sync status">
        <ul className="chips">
          <li>
            <Link to={listUrl(query, { status: undefined })} aria-current={!query.status}>
              {`All (${counts.all}${counts.atLeast ? "+" : ""})`}
            </Link>
          </li>
          {SYNC_STATUSES.map((s) => (
            <li key={s}>
              <Link to={listUrl(query, { status: s })} aria-current={query.status === s}>
                {`${STATUS_LABEL[s]} (${counts[s]}${counts.atLeast ? "+" : ""})`}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <ConfirmAllLinks
        count={suggested}
        confirming={confirming}
        cancelTo={listUrl(query, {})}
        confirmTo={withParam(listUrl(query, {}), "confirm", "all")}
        errors={lastResult?.error?.[""]}
      />
      <ListFilters key={listUrl(query, {})} query={query} />

      {page.rows.length === 0 ? (
        <div className="card" role="status">
          {filtered ? (
            <p>
              No customers match these filters. <Link to="/admin/customers">Show all customers</Link>.
            </p>
          ) : (
            <p>No customers yet. They appear here as soon as someone registers at /register.</p>
          )}
        </div>
      ) : (
        <DataTable
          caption={`${query.status ? `${STATUS_LABEL[query.status]} customers` : "All customers"}, ${query.sort === "name" ? "by last name" : `${query.sort} first`}`} captionStyle="start"
          busy={loading}
          columns={[
            { header: "Name" },
            { header: "Email" },
            { header: "Type" },
            { header: "Zoho sync" },
            { header: "Why it needs an admin" },
            { header: "Registered", hideSmall: true },
            { header: "Actions", srOnly: true },
          ]}
        >
          {page.rows.map((c) => (
            <tr key={c.id}>
              <td>{`${c.firstName} ${c.lastName}`}</td>
              <td>{c.email}</td>
              <td>{c.isReturningCustomer ? "Return" : "New"}</td>
              <td>
                <StatusBadge status={c.zohoSyncStatus} />
              </td>
              <td>
                {c.zohoReviewReason ? (
                  <Link to={listUrl(query, { reason: c.zohoReviewReason })} className="reason-badge" aria-label={`${REVIEW_REASON_LABEL[c.zohoReviewReason]}: show all customers waiting for this reason`}>
                    {REVIEW_REASON_LABEL[c.zohoReviewReason]}
                  </Link>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td className="hide-sm">{formatDate(c.createdAt)}</td>
              <td>
                <Link to={`/admin/customers/${c.id}`} aria-label={`View ${c.firstName} ${c.lastName}`}>
                  View
                </Link>
              </td>
            </tr>
          ))}
        
        </DataTable>
      )}
      <Pager
        previous={page.previous ? { to: listUrl(query, { before: page.previous }), label: "← Previous" } : null}
        next={page.next ? { to: listUrl(query, { after: page.next }), label: "Next →" } : null}
      />
    </section>
  );
}

/** Search and filters: a GET form (the URL is the view), remounted when the view changes so it shows the URL's values. */
function ListFilters({ query }: { query: ListQuery }) {
  const [form, fields] = useForm({
    id: "customer-filters",
    defaultValue: { q: query.q ?? "", type: query.type ?? "", reason: query.reason ?? "", sort: query.sort },
    constraint: getZodConstraint(ListQuerySchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ListQuerySchema }),
  });
  const filtered = !!(query.status || query.type || query.q || query.reason);
  return (
    <Form method="get" {...getFormProps(form)} className="card filters" role="search" aria-label="Search customers">
      {query.status ? <input type="hidden" name="status" value={query.status} /> : null}
      <div className="grid">
        <Field label="Name or email" hint="Beginnings of words: “mar san” finds Maria Santos, “gmail” finds every Gmail address." field={fields.q}>
          <input {...getInputProps(fields.q, { type: "search", ariaDescribedBy: fields.q.descriptionId })} />
        </Field>
        <Field label="Type" field={fields.type}>
          <select {...getSelectProps(fields.type)}>
            <option value="">New and returning</option>
            <option value="new">New</option>
            <option value="returning">Returning</option>
          </select>
        </Field>
        <Field label="Needs an admin because" field={fields.reason}>
          <select {...getSelectProps(fields.reason)}>
            <option value="">Any reason</option>
            {REVIEW_REASONS.map((r) => (
              <option key={r} value={r}>
                {REVIEW_REASON_LABEL[r]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Sort" field={fields.sort}>
          <select {...getSelectProps(fields.sort)}>
            <option value="newest">Newest first</option>
            <option value="oldest">Oldest first</option>
            <option value="name">Last name, A–Z</option>
          </select>
        </Field>
      </div>
      <div className="actions">
        <button type="submit">Apply</button>
        {filtered ? <Link to="/admin/customers">Clear filters</Link> : null}
      </div>
    </Form>
  );
}
