// Beside the sync timeline: what admins did to this customer (the audit log) and what Zoho said about them
// (the Zoho call log), newest first, with links to the whole filtered logs.
import { Link, useLoaderData } from "@remix-run/react";
import { AuditTable } from "~/components/audit-table";
import { ZohoCallTable } from "~/components/zoho-call-table";
import type { DetailLoader } from "./page-types";

export function AuditSection() {
  const { audit, customer } = useLoaderData<DetailLoader>();
  return (
    <section className="card" aria-labelledby="audit-title">
      <h2 id="audit-title">Admin actions</h2>
      {audit.length === 0 ? (
        <p>No admin has acted on this customer.</p>
      ) : (
        <AuditTable rows={audit} caption="Admin actions on this customer, newest first" here={customer.id} />
      )}
      <p>
        <Link to={`/admin/audit?customer=${customer.id}`}>Every admin action on this customer</Link>
      </p>
    </section>
  );
}

export function ZohoCallsSection() {
  const { zohoCalls, customer } = useLoaderData<DetailLoader>();
  return (
    <section className="card" aria-labelledby="zoho-calls-title">
      <h2 id="zoho-calls-title">What Zoho said</h2>
      {zohoCalls.length === 0 ? (
        <p>No Zoho call was made for this customer yet.</p>
      ) : (
        <ZohoCallTable rows={zohoCalls} caption="Zoho calls for this customer, newest first" showCustomer={false} />
      )}
      <p>
        <Link to={`/admin/zoho-calls?customer=${customer.id}`}>Every Zoho call for this customer</Link>
      </p>
    </section>
  );
}
