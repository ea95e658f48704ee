import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ContactSearchSchema, CustomerActionSchema } from "~/admin/schemas";
import { Field, IntentButton, PostForm } from "~/components/forms";
import type { DetailAction, DetailLoader } from "./page-types";

/** Search Zoho, or type a contact id: both are checked with Zoho before the link is saved. */
export function ManualLinkSection() {
  const { customer, search } = useLoaderData<DetailLoader>();
  const lastResult = useActionData<DetailAction>();
  const [linkForm, linkFields] = useForm({
    id: "link-by-id",
    lastResult,
    constraint: getZodConstraint(CustomerActionSchema.options[2]),
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CustomerActionSchema }),
  });
  const linked = !!customer.zohoContactId;
  return (
    <section className="card" aria-labelledby="manual-title">
      <h2 id="manual-title">{linked ? "Change the linked contact" : "Link manually"}</h2>
      <ContactSearchForm key={search?.q ?? ""} q={search?.q ?? ""} error={search?.error ?? null} />
      {search && !search.error ? (
        search.results.length === 0 ? (
          <p role="status">No Zoho contact matches “{search.q}”.</p>
        ) : (
          <ul className="results" aria-label="Zoho contacts found">
            {search.results.map((c) => (
              <li key={c.contactId}>
                <PostForm className="result-row">
                  <input type="hidden" name="contactId" value={c.contactId} />
                  <span>
                    <strong>{c.contactName}</strong> {c.email ? `· ${c.email}` : ""} {c.companyName ? `· ${c.companyName}` : ""}{" "}
                    <span className="muted">(id {c.contactId})</span>
                  </span>
                  <IntentButton intent="link" disabled={c.contactId === customer.zohoContactId} aria-label={`Link ${c.contactName} (${c.contactId})`}>
                    {c.contactId === customer.zohoContactId ? "Linked" : "Link"}
                  </IntentButton>
                </PostForm>
              </li>
            ))}
            {search.more ? <li className="muted">More contacts match; refine the search.</li> : null}
          </ul>
        )
      ) : null}
      <PostForm {...getFormProps(linkForm)}>
        <Field label="Or enter a Zoho contact id" field={linkFields.contactId}>
          <input {...getInputProps(linkFields.contactId, { type: "text" })} inputMode="numeric" autoComplete="off" />
        </Field>
        <IntentButton intent="link">
          Verify and link
        </IntentButton>
      </PostForm>
    </section>
  );
}

/** The Zoho search: a GET form (the search is in the URL); what Zoho or the rules said shows on the field. */
function ContactSearchForm({ q, error }: { q: string; error: string | null }) {
  const [form, fields] = useForm({
    id: "zoho-search",
    defaultValue: { zq: q },
    lastResult: error ? { status: "error", initialValue: { zq: q }, error: { zq: [error] } } : undefined,
    constraint: getZodConstraint(ContactSearchSchema),
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ContactSearchSchema }),
  });
  return (
    <Form method="get" {...getFormProps(form)} role="search" aria-label="Search Zoho contacts">
      <Field label="Search Zoho contacts by name or email" field={fields.zq}>
        <input {...getInputProps(fields.zq, { type: "search" })} />
      </Field>
      <button type="submit" className="button--secondary">
        Search Zoho
      </button>
    </Form>
  );
}
