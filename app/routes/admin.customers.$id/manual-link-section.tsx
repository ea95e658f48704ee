import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CustomerActionSchema } from "~/admin/schemas";
import { CsrfInput, Field } from "~/components/forms";
import type { DetailAction, DetailLoader } from "./page-types";

/** Search Zoho, or type a contact id: both are checked with Zoho before the link is saved. */
export function ManualLinkSection() {
  const { customer, search } = useLoaderData<DetailLoader>();
  const lastResult = useActionData<DetailAction>();
  const busy = useNavigation().state === "submitting";
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
      <Form method="get" role="search" aria-label="Search Zoho contacts">
        <div className="field">
          <label htmlFor="zq">Search Zoho contacts by name or email</label>
          <input id="zq" name="zq" type="search" defaultValue={search?.q ?? ""} minLength={2} maxLength={100} required aria-describedby="zq-error" />
          <div id="zq-error" aria-live="polite">
            {search?.error ? <p className="error">{search.error}</p> : null}
          </div>
        </div>
        <button type="submit" className="button--secondary">
          Search Zoho
        </button>
      </Form>
      {search && !search.error ? (
        search.results.length === 0 ? (
          <p role="status">No Zoho contact matches “{search.q}”.</p>
        ) : (
          <ul className="results" aria-label="Zoho contacts found">
            {search.results.map((c) => (
              <li key={c.contactId}>
                <Form method="post" className="result-row">
                  <CsrfInput />
                  <input type="hidden" name="contactId" value={c.contactId} />
                  <span>
                    <strong>{c.contactName}</strong> {c.email ? `· ${c.email}` : ""} {c.companyName ? `· ${c.companyName}` : ""}{" "}
                    <span className="muted">(id {c.contactId})</span>
                  </span>
                  <button
                    type="submit"
                    name="intent"
                    value="link"
                    disabled={busy || c.contactId === customer.zohoContactId}
                    aria-label={`Link ${c.contactName} (${c.contactId})`}
                  >
                    {c.contactId === customer.zohoContactId ? "Linked" : "Link"}
                  </button>
                </Form>
              </li>
            ))}
            {search.more ? <li className="muted">More contacts match; refine the search.</li> : null}
          </ul>
        )
      ) : null}
      <Form method="post" {...getFormProps(linkForm)}>
        <CsrfInput />
        <Field label="Or enter a Zoho contact id" field={linkFields.contactId}>
          <input {...getInputProps(linkFields.contactId, { type: "text" })} inputMode="numeric" autoComplete="off" />
        </Field>
        <button type="submit" name="intent" value="link" disabled={busy}>
          Verify and link
        </button>
      </Form>
    </section>
  );
}
