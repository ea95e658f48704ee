// The frame of the console's log pages (the audit log, the Zoho call log): title, filters in a GET form (the
// URL is the view) with the customer id and the date range every log has, Apply / Clear, the CSV link with the
// same filters, the table or an empty state, and the keyset pager (newest first).
import { getFormProps, getInputProps, useForm, type FieldMetadata, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { Form, Link, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import type { z } from "zod";
import { logUrl } from "~/common/log-query";
import { Field } from "./forms";
import { Pager } from "./tables";

/** What every log's filters have; the page's own come first. */
type CommonFilters = { customer?: unknown; from?: unknown; to?: unknown } & Record<string, unknown>;
type FilterFields<Query extends Record<string, unknown>> = { [K in keyof Query]-?: FieldMetadata<Query[K], Query, string[]> };

export type LogFilters<Schema extends z.ZodType<CommonFilters>> = {
  /** The form's id, and its name for screen readers ("Filter the audit log"). */
  id: string;
  label: string;
  schema: Schema;
  /** The loader's verdict on the URL's filters (null when they were all valid). */
  lastResult: SubmissionResult<string[]> | null;
  /** The page's own filter fields, before the customer id and the dates. */
  fields: (fields: FilterFields<z.infer<Schema>>) => ReactNode;
};

export function LogPage<Schema extends z.ZodType<CommonFilters>>({
  path,
  title,
  intro,
  params,
  page,
  csv,
  empty,
  filters,
  children,
}: {
  /** "/admin/audit" */
  path: string;
  title: string;
  intro: string;
  /** The filters in force (logQuery's `params`). */
  params: Record<string, string | undefined>;
  page: { rowCount: number; previous: string | null; next: string | null };
  csv: { path: string; label: string };
  empty: { filtered: string; showAll: string; none: string };
  filters: LogFilters<Schema>;
  /** The table of this page's rows. */
  children: ReactNode;
}) {
  const loading = useNavigation().state === "loading";
  const filtered = Object.values(params).some(Boolean);
  const titleId = `${filters.id}-title`;
  return (
    <section aria-labelledby={titleId}>
      <h1 id={titleId}>{title}</h1>
      <p className="muted">{intro}</p>
      <LogFilterForm key={logUrl(path, params)} path={path} params={params} filtered={filtered} {...filters} />
      <p>
        <Link to={logUrl(csv.path, params)} reloadDocument>
          {csv.label}
        </Link>
      </p>
      {page.rowCount === 0 ? (
        <div className="card" role="status">
          {filtered ? (
            <p>
              {`${empty.filtered} `}
              <Link to={path}>{empty.showAll}</Link>.
            </p>
          ) : (
            <p>{empty.none}</p>
          )}
        </div>
      ) : (
        <div aria-busy={loading}>{children}</div>
      )}
      <Pager
        previous={page.previous ? { to: logUrl(path, params, { before: page.previous }), label: "← Newer" } : null}
        next={page.next ? { to: logUrl(path, params, { after: page.next }), label: "Older →" } : null}
      />
    </section>
  );
}

function LogFilterForm<Schema extends z.ZodType<CommonFilters>>({
  id,
  label,
  schema,
  lastResult,
  fields: ownFields,
  path,
  params,
  filtered,
}: LogFilters<Schema> & { path: string; params: Record<string, string | undefined>; filtered: boolean }) {
  const [form, fields] = useForm<z.infer<Schema>>({
    id,
    lastResult,
    defaultValue: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v ?? ""])) as never,
    constraint: getZodConstraint(schema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  const all = fields as unknown as FilterFields<z.infer<Schema>> & FilterFields<{ customer: string; from: string; to: string }>;
  return (
    <Form method="get" {...getFormProps(form)} className="card filters" role="search" aria-label={label}>
      <div className="grid">
        {ownFields(all)}
        <Field label="Customer id" hint="From the customer's page address (/admin/customers/…)." field={all.customer}>
          <input {...getInputProps(all.customer, { type: "text", ariaDescribedBy: all.customer.descriptionId })} spellCheck={false} />
        </Field>
        <Field label="From (date, PHT)" field={all.from}>
          <input {...getInputProps(all.from, { type: "date" })} />
        </Field>
        <Field label="To (date, PHT)" field={all.to}>
          <input {...getInputProps(all.to, { type: "date" })} />
        </Field>
      </div>
      <div className="actions">
        <button type="submit">Apply</button>
        {filtered ? <Link to={path}>Clear filters</Link> : null}
      </div>
    </Form>
  );
}
